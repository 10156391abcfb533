// Custom code of the connector, one file for every brand (C# 7; compiled by the platform and, in tests, by Mono's mcs).
// What it adds to plain forwarding:
// - the API key reaches the PBX as "Bearer <key>" whichever way it was typed into the connection;
// - webhook registrations answer 201 with a Location that points back through the connector, so the
//   platform's DELETE reaches DeleteWebhookByID with the key (no more leaked webhooks);
// - polling triggers fetch every page of new items and return them newest first, so none is skipped;
// - PBX errors keep their status and envelope and get a message a flow author can act on.
// Assumptions about the PBX that no recording confirms yet are marked "(unconfirmed)".
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

public class Script : ScriptBase
{
    // The PBX's default page size is unknown (unconfirmed), so a limit is always sent.
    private const int DefaultPageSize = 50;

    // Bounds one execution (the platform allows 5 s); what lies beyond is logged.
    private const int MaxPages = 20;

    private const int ExcerptLength = 200;

    private const string EnvelopeVersion = "2";

    // Brand texts: written by `npm run build` from the brand profile (connector/brand/); edit them there.
    // brand-texts:begin
    private const string BrandProduct = "Zvanu Parvaldnieks";
    private const string BrandOperator = "LMT";
    private const string BrandPortal = "Zvanu Parvaldnieks admin portal";
    private const string BrandApiKeyPage = "Integration page";
    private const string BrandWebhooksMenu = "API → Web hooks";
    private const string BrandHost = "zvanuparvaldnieks.lmt.lv";
    // brand-texts:end

    private const string KeyAdvice = "Edit the connection and paste the API key from the " + BrandPortal + " (with or without \"Bearer \" in front).";

    private const string WebhookLimitAdvice = "The PBX allows at most 20 webhooks per account. Free one: delete or turn off flows with " + BrandProduct + " triggers that you no longer use (each active trigger holds one webhook). Webhooks of flows deleted while they used version 1.0 of the connector were never removed: remove them in the " + BrandPortal + ".";

    private static readonly HashSet<string> WebhookRegistrations = new HashSet<string>
    {
        "CallStarted", "CallConnected", "CallCompleted", "CallTransfered", "CallRecorded",
        "VoicemailCreated", "VoicemailDeleted", "LostCallerAdded", "LostCallerUpdated", "LostCallerRemoved",
    };

    private static readonly Dictionary<string, PollingTrigger> PollingTriggers = new Dictionary<string, PollingTrigger>
    {
        { "GetContacts", new PollingTrigger("initial_contact_id", "contactID") },
        { "GetGroups", new PollingTrigger("initial_group_id", "groupID") },
        { "GetCallRecordings", new PollingTrigger("initial_record_id", "recordingID") },
        { "GetCallHistory", new PollingTrigger("initial_call_id", "callID") },
        { "GetVoicemailBoxes", new PollingTrigger("initial_box_id", "voicemailBoxID") },
        { "GetVoicemails", new PollingTrigger("initial_voicemail_id", "voicemailID") },
        { "GetAudioPrompts", new PollingTrigger("initial_prompt_id", "id") },
        { "GetVoipEndpoints", new PollingTrigger("initial_endpoint_id", "id") },
    };

    // Plain actions: forwarded, with the key normalised and errors explained.
    private static readonly HashSet<string> Actions = new HashSet<string>
    {
        "GetContactsByID", "GetGroupByID", "GetCallRecordingByID", "GetCallHistoryItemByID", "GetVoicemailBoxByID",
        "GetVoicemailByID", "GetAudioPromptByID", "GetVoipEndpointByID", "Dial", "GetLostCalls",
    };

    private static readonly Regex PhoneLike = new Regex(@"\+?\d(?:[ \-]?\d){6,}", RegexOptions.Compiled);

    private string apiKey;

    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        HttpResponseMessage keyMissing = NormaliseApiKey();
        if (keyMissing != null)
        {
            return keyMissing;
        }

        string operationId = Context.OperationId;
        try
        {
            if (WebhookRegistrations.Contains(operationId))
            {
                return await RegisterWebhookAsync().ConfigureAwait(false);
            }

            if (operationId == "DeleteWebhookByID")
            {
                return await DeleteWebhookAsync().ConfigureAwait(false);
            }

            PollingTrigger trigger;
            if (PollingTriggers.TryGetValue(operationId, out trigger))
            {
                return await PollAsync(trigger).ConfigureAwait(false);
            }

            if (Actions.Contains(operationId))
            {
                HttpResponseMessage response = await SendAsync(Context.Request).ConfigureAwait(false);
                return response.IsSuccessStatusCode ? response : await ExplainErrorAsync(response, false, null).ConfigureAwait(false);
            }

            Log(LogLevel.Warning, "Operation " + operationId + " has no custom handling; forwarded unchanged.");
            return await SendAsync(Context.Request).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            Log(LogLevel.Error, operationId + ": the PBX could not be reached: " + e.Message);
            return ErrorResponse(HttpStatusCode.BadGateway, "The connector could not reach the PBX (" + e.Message + "). Try again later; triggers retry on their own.");
        }
    }

    // ---- API key ----------------------------------------------------------------------------------

    // Production users were told to type "Bearer <key>"; others type the bare key. Both must work.
    private HttpResponseMessage NormaliseApiKey()
    {
        IEnumerable<string> values;
        string raw = Context.Request.Headers.TryGetValues("Authorization", out values) ? string.Join(" ", values) : null;
        string key = BareKey(raw);
        if (key.Length == 0)
        {
            Log(LogLevel.Error, Context.OperationId + ": the connection has no API key.");
            return ErrorResponse(HttpStatusCode.Unauthorized, "The connection has no API key. " + KeyAdvice);
        }

        apiKey = key;
        Context.Request.Headers.Remove("Authorization");
        Context.Request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return null;
    }

    private static string BareKey(string raw)
    {
        if (raw == null)
        {
            return string.Empty;
        }

        string key = raw.Trim();
        Match prefix;
        while ((prefix = Regex.Match(key, @"^bearer(?:\s+|:\s*|$)", RegexOptions.IgnoreCase)).Success)
        {
            key = key.Substring(prefix.Length).Trim();
        }

        return Regex.Replace(key, @"\s+", string.Empty);
    }

    // ---- Webhooks ---------------------------------------------------------------------------------

    private async Task<HttpResponseMessage> RegisterWebhookAsync()
    {
        HttpResponseMessage response = await SendAsync(Context.Request).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await ExplainErrorAsync(response, true, null).ConfigureAwait(false);
        }

        string text = await ReadBodyAsync(response).ConfigureAwait(false);
        string problem;
        string webhookId = FindWebhookId(text, out problem);
        if (webhookId == null)
        {
            Log(LogLevel.Warning, Context.OperationId + ": registration answered " + (int)response.StatusCode + " but " + problem + "; passed through without a Location, so the platform cannot remove this webhook when the flow is deleted.");
            return Rewrap(response, response.StatusCode, text);
        }

        Uri connectorUri = Context.OriginalRequestUri;
        if (connectorUri == null)
        {
            connectorUri = Context.Request.RequestUri;
            Log(LogLevel.Warning, Context.OperationId + ": no OriginalRequestUri; the Location is built from the PBX URL and its DELETE will not pass through the connector.");
        }

        HttpResponseMessage created = Rewrap(response, HttpStatusCode.Created, text);
        created.Headers.Location = ReplaceLastSegment(connectorUri, webhookId);
        Log(LogLevel.Information, Context.OperationId + ": webhook " + webhookId + " registered.");
        return created;
    }

    // The webhook id is expected as a string holding an integer in data (unconfirmed); a number or an
    // object with an id is accepted too. Anything else yields null and the reason.
    private static string FindWebhookId(string text, out string problem)
    {
        JObject body = ParseObject(text);
        if (body == null)
        {
            problem = "the body is not a JSON object";
            return null;
        }

        JToken data = body["data"];
        if (data == null || data.Type == JTokenType.Null)
        {
            problem = "the body has no data";
            return null;
        }

        if (data.Type == JTokenType.Object)
        {
            JProperty idProperty = ((JObject)data).Properties().FirstOrDefault(p => Regex.IsMatch(p.Name, "^(webhook_?)?id$", RegexOptions.IgnoreCase));
            if (idProperty == null)
            {
                problem = "data is an object without an id";
                return null;
            }

            data = idProperty.Value;
        }

        long? id = AsInteger(data);
        if (id == null || id.Value < 0)
        {
            problem = "data holds no integer id (" + DescribeType(data) + ")";
            return null;
        }

        problem = null;
        return id.Value.ToString();
    }

    // .../webhooks/CallConnected?x=y -> .../webhooks/57: the platform's DELETE then matches DeleteWebhookByID.
    private static Uri ReplaceLastSegment(Uri uri, string segment)
    {
        var builder = new UriBuilder(uri);
        string path = builder.Path.TrimEnd('/');
        builder.Path = path.Substring(0, path.LastIndexOf('/') + 1) + segment;
        builder.Query = string.Empty;
        builder.Fragment = string.Empty;
        return builder.Uri;
    }

    private async Task<HttpResponseMessage> DeleteWebhookAsync()
    {
        HttpResponseMessage response = await SendAsync(Context.Request).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound || response.StatusCode == HttpStatusCode.Gone)
        {
            // Already gone: success, so that the platform stops retrying the unsubscribe.
            Log(LogLevel.Information, "DeleteWebhookByID: the PBX no longer has this webhook (" + (int)response.StatusCode + "); answered as deleted.");
            var envelope = new JObject
            {
                { "version", EnvelopeVersion },
                { "status", "success" },
                { "statusCode", 200 },
                { "message", "The webhook was already deleted in the PBX." },
                { "data", new JObject() },
            };
            return JsonResponse(HttpStatusCode.OK, envelope);
        }

        return response.IsSuccessStatusCode ? response : await ExplainErrorAsync(response, false, null).ConfigureAwait(false);
    }

    // ---- Polling triggers -------------------------------------------------------------------------

    private sealed class PollingTrigger
    {
        public PollingTrigger(string cursorParameter, string idProperty)
        {
            CursorParameter = cursorParameter;
            IdProperty = idProperty;
        }

        public string CursorParameter { get; private set; }

        public string IdProperty { get; private set; }
    }

    // Fetches every page of new items (bounded) and returns them newest first, de-duplicated, so that
    // the pollingtrigger policy's data[0] is the newest whatever order the PBX lists in (unconfirmed).
    private async Task<HttpResponseMessage> PollAsync(PollingTrigger trigger)
    {
        Uri requestUri = Context.Request.RequestUri;
        List<KeyValuePair<string, string>> query = ParseQuery(requestUri.Query);
        string limitText = QueryValue(query, "limit");
        string offsetText = QueryValue(query, "offset");
        string cursorText = QueryValue(query, trigger.CursorParameter);

        long userLimit;
        bool limitUsable = limitText == null || (long.TryParse(limitText, out userLimit) && userLimit > 0);
        long pageSize = limitText != null && limitUsable ? long.Parse(limitText) : DefaultPageSize;
        long userOffset = 0;
        bool offsetUsable = offsetText == null || (long.TryParse(offsetText, out userOffset) && userOffset >= 0);

        // A value the PBX will likely reject is passed through as before, on a single page.
        bool paging = limitUsable && offsetUsable;
        if (!paging)
        {
            Log(LogLevel.Warning, Context.OperationId + ": limit or offset is not a whole number; fetching one page as given.");
        }

        // The 1.0 cursor: items with an id above it are new. Filtered here too in case the PBX ignores it.
        long cursorValue;
        long? cursor = cursorText == null ? 0 : (long.TryParse(cursorText, out cursorValue) ? (long?)cursorValue : null);

        var items = new Dictionary<long, JToken>();
        var itemsWithoutId = new List<JToken>();
        var seen = new HashSet<long>();
        JObject envelope = null;
        HttpResponseMessage firstResponse = null;
        bool moreMayRemain = false;
        int pages = 0;

        for (int page = 0; page < MaxPages; page++)
        {
            CancellationToken.ThrowIfCancellationRequested();
            string offset = page == 0 ? offsetText : (userOffset + page * pageSize).ToString();
            string limit = paging ? pageSize.ToString() : limitText;
            HttpResponseMessage response = await SendAsync(PageRequest(requestUri, query, limit, offset)).ConfigureAwait(false);
            pages++;
            string pageNote = page == 0 ? null : "Page " + (page + 1) + " of the new items failed, so none was delivered and the trigger keeps its position: the next poll tries again.";
            if (!response.IsSuccessStatusCode)
            {
                return await ExplainErrorAsync(response, false, pageNote).ConfigureAwait(false);
            }

            string text = await ReadBodyAsync(response).ConfigureAwait(false);
            JObject body = ParseObject(text);
            JArray pageItems = body == null ? null : PageItems(body, trigger);
            if (pageItems == null)
            {
                string what = body == null ? "a body that is not a JSON object (" + WithoutKey(Excerpt(text)) + ")" : "data that is not a list (" + DescribeType(body["data"]) + ")";
                Log(LogLevel.Error, Context.OperationId + ": page " + (page + 1) + " came with " + what + ".");
                return ErrorResponse(HttpStatusCode.BadGateway, "The PBX answered page " + (page + 1) + " of the new items with " + what + ". Nothing was delivered and the trigger keeps its position: the next poll tries again.");
            }

            if (page == 0)
            {
                envelope = body;
                firstResponse = response;
            }

            bool unseenOnPage = false;
            bool reachedCursor = false;
            foreach (JToken item in pageItems)
            {
                long? id = ItemId(item, trigger.IdProperty);
                if (id == null)
                {
                    itemsWithoutId.Add(item);
                    continue;
                }

                if (seen.Add(id.Value))
                {
                    unseenOnPage = true;
                }

                if (cursor != null && id.Value <= cursor.Value)
                {
                    reachedCursor = true;
                    continue;
                }

                if (!items.ContainsKey(id.Value))
                {
                    items.Add(id.Value, item);
                }
            }

            bool pageFull = paging && pageItems.Count >= pageSize;
            if (!pageFull)
            {
                moreMayRemain = false;
                break;
            }

            if (!unseenOnPage)
            {
                // The PBX answered a page seen already (it ignores offset?): more requests would repeat it.
                Log(LogLevel.Warning, Context.OperationId + ": page " + (page + 1) + " repeated items already fetched; stopped paging.");
                moreMayRemain = false;
                break;
            }

            if (reachedCursor && IsNewestFirst(pageItems, trigger.IdProperty))
            {
                // Newest first and already at the cursor: the following pages hold only old items.
                moreMayRemain = false;
                break;
            }

            moreMayRemain = true;
        }

        if (moreMayRemain)
        {
            // Documented limit: beyond MaxPages pages the rest waits (oldest first) or is missed (newest first).
            Log(LogLevel.Warning, Context.OperationId + ": stopped at the bound of " + MaxPages + " pages of " + pageSize + " (" + items.Count + " new items); the last page was full, so " + pageSize + " or more new items may remain in the PBX.");
        }

        if (itemsWithoutId.Count > 0)
        {
            Log(LogLevel.Warning, Context.OperationId + ": " + itemsWithoutId.Count + " item(s) without a whole-number " + trigger.IdProperty + " were put last.");
        }

        var merged = new JArray();
        foreach (KeyValuePair<long, JToken> entry in items.OrderByDescending(e => e.Key))
        {
            merged.Add(entry.Value);
        }

        foreach (JToken item in itemsWithoutId)
        {
            merged.Add(item);
        }

        envelope["data"] = merged;
        Log(LogLevel.Information, Context.OperationId + ": " + merged.Count + " new item(s) from " + pages + " page(s).");
        HttpResponseMessage result = JsonResponse(firstResponse.StatusCode, envelope);
        CopyHeaders(firstResponse, result);
        return result;
    }

    private HttpRequestMessage PageRequest(Uri requestUri, List<KeyValuePair<string, string>> query, string limit, string offset)
    {
        var parts = new List<string>();
        bool limitWritten = false;
        bool offsetWritten = false;
        foreach (KeyValuePair<string, string> pair in query)
        {
            string name = Uri.UnescapeDataString(pair.Key.Replace('+', ' '));
            if (name == "limit")
            {
                if (!limitWritten && limit != null) parts.Add("limit=" + Uri.EscapeDataString(limit));
                limitWritten = true;
            }
            else if (name == "offset")
            {
                if (!offsetWritten && offset != null) parts.Add("offset=" + Uri.EscapeDataString(offset));
                offsetWritten = true;
            }
            else
            {
                parts.Add(pair.Value == null ? pair.Key : pair.Key + "=" + pair.Value);
            }
        }

        if (!limitWritten && limit != null) parts.Add("limit=" + Uri.EscapeDataString(limit));
        if (!offsetWritten && offset != null) parts.Add("offset=" + Uri.EscapeDataString(offset));

        var builder = new UriBuilder(requestUri);
        builder.Query = string.Join("&", parts);
        var request = new HttpRequestMessage(Context.Request.Method, builder.Uri);
        foreach (KeyValuePair<string, IEnumerable<string>> header in Context.Request.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    // Raw (still percent-encoded) name/value pairs, so that untouched parameters are sent exactly as received.
    private static List<KeyValuePair<string, string>> ParseQuery(string query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string part in query.TrimStart('?').Split('&'))
        {
            if (part.Length == 0) continue;
            int equals = part.IndexOf('=');
            pairs.Add(equals < 0 ? new KeyValuePair<string, string>(part, null) : new KeyValuePair<string, string>(part.Substring(0, equals), part.Substring(equals + 1)));
        }

        return pairs;
    }

    private static string QueryValue(List<KeyValuePair<string, string>> query, string name)
    {
        foreach (KeyValuePair<string, string> pair in query)
        {
            if (Uri.UnescapeDataString(pair.Key.Replace('+', ' ')) == name)
            {
                return pair.Value == null ? string.Empty : Uri.UnescapeDataString(pair.Value.Replace('+', ' ')).Trim();
            }
        }

        return null;
    }

    // data is a list; missing or null means nothing new; a lone item (object with the id) counts as a list of one.
    private JArray PageItems(JObject body, PollingTrigger trigger)
    {
        JToken data = body["data"];
        if (data == null || data.Type == JTokenType.Null)
        {
            Log(LogLevel.Warning, Context.OperationId + ": the PBX answered without data; treated as no new items.");
            return new JArray();
        }

        if (data.Type == JTokenType.Array)
        {
            return (JArray)data;
        }

        if (data.Type == JTokenType.Object && ItemId(data, trigger.IdProperty) != null)
        {
            return new JArray(data);
        }

        return null;
    }

    private static long? ItemId(JToken item, string idProperty)
    {
        var fields = item as JObject;
        return fields == null ? null : AsInteger(fields[idProperty]);
    }

    private static bool IsNewestFirst(JArray pageItems, string idProperty)
    {
        List<long> ids = pageItems.Select(item => ItemId(item, idProperty)).Where(id => id != null).Select(id => id.Value).ToList();
        return ids.Count >= 2 && ids[0] > ids[ids.Count - 1];
    }

    // ---- Errors -----------------------------------------------------------------------------------

    // Keeps the PBX's status and envelope; replaces the message with one a flow author can act on,
    // quoting the PBX's own words. A non-JSON page becomes an envelope with a short excerpt.
    private async Task<HttpResponseMessage> ExplainErrorAsync(HttpResponseMessage response, bool registration, string note)
    {
        int status = (int)response.StatusCode;
        string text = await ReadBodyAsync(response).ConfigureAwait(false);
        JObject envelope = ParseObject(text);
        string pbxSaid;
        if (envelope != null)
        {
            JToken message = envelope["message"];
            pbxSaid = message != null && message.Type == JTokenType.String ? ((string)message).Trim() : string.Empty;
            if (envelope["status"] == null) envelope["status"] = "error";
            if (envelope["statusCode"] == null) envelope["statusCode"] = status;
            pbxSaid = pbxSaid.Length == 0 ? string.Empty : " The PBX said: \"" + WithoutKey(pbxSaid) + "\".";
        }
        else
        {
            envelope = new JObject { { "version", EnvelopeVersion }, { "status", "error" }, { "statusCode", status } };
            pbxSaid = text.Trim().Length == 0 ? " The PBX answered with an empty body." : " The PBX answered with a page that is not JSON: \"" + WithoutKey(Excerpt(text)) + "\".";
        }

        string advice = Advice(response, registration, pbxSaid);
        envelope["message"] = advice + pbxSaid + (note == null ? string.Empty : " " + note);
        Log(LogLevel.Error, Context.OperationId + ": the PBX answered " + status + "." + pbxSaid);
        HttpResponseMessage explained = JsonResponse(response.StatusCode, envelope);
        CopyHeaders(response, explained);
        return explained;
    }

    private static string Advice(HttpResponseMessage response, bool registration, string pbxSaid)
    {
        int status = (int)response.StatusCode;
        if (status == 401)
        {
            return "The PBX rejected the API key (HTTP 401). " + KeyAdvice;
        }

        if (status == 429)
        {
            int? wait = RetryAfterSeconds(response);
            return "The PBX's rate limit was reached (HTTP 429). " + (wait != null ? "Wait " + wait.Value + " seconds (Retry-After) before trying again." : "Wait a minute before trying again.") + " Triggers retry on their own.";
        }

        if (status == 403)
        {
            if (Regex.IsMatch(pbxSaid, @"\bIP\b|address|white ?list|allow ?list|not allowed", RegexOptions.IgnoreCase))
            {
                return "The PBX does not accept requests from this IP address (HTTP 403). In the " + BrandPortal + ", allow the Power Platform outbound IP addresses of your region for this API key.";
            }

            if (Regex.IsMatch(pbxSaid, @"key|token|auth|credential", RegexOptions.IgnoreCase))
            {
                return "The PBX rejected the API key (HTTP 403). " + KeyAdvice;
            }

            return "The PBX refused the request (HTTP 403): the API key may be wrong or this IP address may not be allowed. Check both in the " + BrandPortal + ".";
        }

        if (registration && status >= 400 && status < 500)
        {
            if (Regex.IsMatch(pbxSaid, @"\b20\b|limit|maximum|too many|exceed", RegexOptions.IgnoreCase))
            {
                return "The trigger could not subscribe: all 20 webhooks of the account are in use (HTTP " + status + "). " + WebhookLimitAdvice;
            }

            return "The trigger could not subscribe (HTTP " + status + "). If the account already has 20 webhooks, that is why. " + WebhookLimitAdvice;
        }

        if (status == 404)
        {
            return "The PBX has no such item (HTTP 404). Check the ID.";
        }

        if (status == 422)
        {
            return "The PBX did not accept the values sent (HTTP 422). Check the operation's parameters.";
        }

        if (status >= 500)
        {
            return "The PBX failed to answer (HTTP " + status + "). Try again later; triggers retry on their own.";
        }

        return "The PBX answered with an error (HTTP " + status + ").";
    }

    private static int? RetryAfterSeconds(HttpResponseMessage response)
    {
        RetryConditionHeaderValue retryAfter = response.Headers.RetryAfter;
        if (retryAfter == null)
        {
            IEnumerable<string> values;
            int seconds;
            if (response.Headers.TryGetValues("Retry-After", out values) && int.TryParse(values.First().Trim(), out seconds))
            {
                return seconds;
            }

            return null;
        }

        if (retryAfter.Delta != null)
        {
            return (int)Math.Ceiling(retryAfter.Delta.Value.TotalSeconds);
        }

        if (retryAfter.Date != null)
        {
            return Math.Max(0, (int)Math.Ceiling((retryAfter.Date.Value - DateTimeOffset.UtcNow).TotalSeconds));
        }

        return null;
    }

    // Tags, scripts and styles stripped, whitespace collapsed, cut to ExcerptLength characters.
    private static string Excerpt(string text)
    {
        string plain = Regex.Replace(text ?? string.Empty, @"<(script|style)\b[^>]*>.*?</\1\s*>", " ", RegexOptions.IgnoreCase | RegexOptions.Singleline);
        plain = Regex.Replace(plain, @"<[^>]*>?", " ");
        plain = plain.Replace("&nbsp;", " ").Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"").Replace("&#39;", "'").Replace("&amp;", "&");
        plain = Regex.Replace(plain, @"\s+", " ").Trim();
        if (plain.Length == 0)
        {
            return "(no text)";
        }

        return plain.Length <= ExcerptLength ? plain : plain.Substring(0, ExcerptLength).TrimEnd() + "...";
    }

    private static HttpResponseMessage ErrorResponse(HttpStatusCode status, string message)
    {
        var envelope = new JObject
        {
            { "version", EnvelopeVersion },
            { "status", "error" },
            { "statusCode", (int)status },
            { "message", message },
        };
        return JsonResponse(status, envelope);
    }

    // ---- Plumbing ---------------------------------------------------------------------------------

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        return Context.SendAsync(request, CancellationToken);
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response)
    {
        return response.Content == null ? string.Empty : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
    }

    // Dates stay as the PBX wrote them (Newtonsoft would otherwise turn them into DateTime and reformat them).
    private static JObject ParseObject(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using (var reader = new JsonTextReader(new StringReader(text)))
            {
                reader.DateParseHandling = DateParseHandling.None;
                JToken token = JToken.ReadFrom(reader);
                while (reader.Read())
                {
                    if (reader.TokenType != JsonToken.Comment) return null;
                }

                return token as JObject;
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? AsInteger(JToken token)
    {
        if (token == null)
        {
            return null;
        }

        long value;
        if (token.Type == JTokenType.Integer)
        {
            return (long)token;
        }

        if (token.Type == JTokenType.Float)
        {
            double number = (double)token;
            return Math.Floor(number) == number && Math.Abs(number) < 9e15 ? (long?)number : null;
        }

        // Digits only: no sign, no separators, whatever the culture.
        if (token.Type == JTokenType.String && Regex.IsMatch((string)token, @"^\s*[0-9]{1,18}\s*$") && long.TryParse(((string)token).Trim(), out value))
        {
            return value;
        }

        return null;
    }

    private static string DescribeType(JToken token)
    {
        if (token == null)
        {
            return "missing";
        }

        string type = token.Type.ToString().ToLowerInvariant();
        return ("aeiou".IndexOf(type[0]) >= 0 ? "an " : "a ") + type;
    }

    private static HttpResponseMessage JsonResponse(HttpStatusCode status, JObject body)
    {
        return new HttpResponseMessage(status) { Content = CreateJsonContent(body.ToString(Formatting.None)) };
    }

    // Same status line, headers and body text; the content is rebuilt because it has been read.
    private static HttpResponseMessage Rewrap(HttpResponseMessage response, HttpStatusCode status, string text)
    {
        var copy = new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8) };
        copy.Content.Headers.ContentType = response.Content != null && response.Content.Headers.ContentType != null
            ? response.Content.Headers.ContentType
            : new MediaTypeHeaderValue("application/json");
        CopyHeaders(response, copy);
        return copy;
    }

    private static void CopyHeaders(HttpResponseMessage from, HttpResponseMessage to)
    {
        foreach (KeyValuePair<string, IEnumerable<string>> header in from.Headers)
        {
            to.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    // A PBX that echoes the key must not make it appear in a message or a log.
    private string WithoutKey(string text)
    {
        return string.IsNullOrEmpty(apiKey) || apiKey.Length < 4 ? text : text.Replace(apiKey, "[key]");
    }

    // Logs never hold the key or a phone number.
    private void Log(LogLevel level, string message)
    {
        string text = WithoutKey(message);
        text = PhoneLike.Replace(text, m => Regex.Replace(m.Value, @"\d", "*"));
        Context.Logger.Log(level, text);
    }
}
