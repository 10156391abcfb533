// Custom code of the Zvanu Parvaldnieks connector (C# 7; compiled by the platform and, in tests, by Mono's mcs).
// What it adds to plain forwarding:
// - the API key reaches the PBX as "Bearer <key>" whichever way it was typed into the connection;
// - webhook registrations answer 201 with a Location that points back through the connector, so the
//   platform's DELETE reaches DeleteWebhookByID with the key (no more leaked webhooks);
// - polling triggers fetch every page of new items and return them newest first, so none is skipped;
// - list actions and designer dropdowns read the polling triggers' PBX lists, one page per call, with a
//   nextLink back through the connector that keeps the pages of a list stable while calls arrive;
// - PBX errors keep their status and envelope and get a message a flow author can act on.
// Assumptions about the PBX that no recording confirms yet are marked "(unconfirmed)".
using System;
using System.Collections.Generic;
using System.Diagnostics;
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

    private const string KeyAdvice = "Edit the connection and paste the API key from the Zvanu Parvaldnieks admin portal (with or without \"Bearer \" in front).";

    private const string WebhookLimitAdvice = "The PBX allows at most 20 webhooks per account. Free one: delete or turn off flows with Zvanu Parvaldnieks triggers that you no longer use (each active trigger holds one webhook). Webhooks of flows deleted while they used version 1.0 of the connector were never removed: remove them in the Zvanu Parvaldnieks admin portal.";

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

    // List actions (connector path /list/<collection>) read the polling trigger's PBX list
    // (/trigger/<collection>, cursor 0 = everything): collection, cursor parameter, id field.
    private static readonly Dictionary<string, ListRoute> ListActions = new Dictionary<string, ListRoute>
    {
        { "ListContacts", new ListRoute("contacts", "initial_contact_id", "contactID") },
        { "ListGroups", new ListRoute("groups", "initial_group_id", "groupID") },
        { "ListCallRecordings", new ListRoute("call_records", "initial_record_id", "recordingID") },
        { "ListCalls", new ListRoute("call_history", "initial_call_id", "callID") },
        { "ListVoicemailBoxes", new ListRoute("voicemail_boxes", "initial_box_id", "voicemailBoxID") },
        { "ListVoicemails", new ListRoute("voicemails", "initial_voicemail_id", "voicemailID") },
        { "ListAudioPrompts", new ListRoute("audio_prompts", "initial_prompt_id", "id") },
        { "ListVoipEndpoints", new ListRoute("voip_endpoints", "initial_endpoint_id", "id") },
    };

    // Designer dropdowns (connector path /choices/<collection>): the same lists as {id, title}; the title
    // joins the name fields and adds the detail field in brackets ("Anna Ozola (+371...)").
    private static readonly Dictionary<string, ListRoute> Choices = new Dictionary<string, ListRoute>
    {
        { "ListContactChoices", new ListRoute("contacts", "initial_contact_id", "contactID", new[] { "firstname", "lastname" }, "number") },
        { "ListGroupChoices", new ListRoute("groups", "initial_group_id", "groupID", new[] { "name" }, null) },
        { "ListVoicemailBoxChoices", new ListRoute("voicemail_boxes", "initial_box_id", "voicemailBoxID", new[] { "boxName" }, null) },
        { "ListVoipEndpointChoices", new ListRoute("voip_endpoints", "initial_endpoint_id", "id", new[] { "name" }, null) },
    };

    // The largest page a list asks for: the PBX's own cap is unknown and assumed to be 100 (unconfirmed).
    private const int MaxListPageSize = 100;

    // A dropdown offers at most this many items: 3 PBX pages of 100, within one execution's budget.
    private const int MaxChoices = 300;

    // Wall time one list or dropdown execution may take, PBX waits included (the platform allows 5 s).
    private const int ListBudgetMilliseconds = 3500;

    // A later page is read again when items arrived meanwhile, at most this many times in one execution.
    private const int MaxListReads = 3;

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

            ListRoute list;
            if (ListActions.TryGetValue(operationId, out list))
            {
                return await ListPageAsync(list).ConfigureAwait(false);
            }

            ListRoute choices;
            if (Choices.TryGetValue(operationId, out choices))
            {
                return await ListChoicesAsync(choices).ConfigureAwait(false);
            }

            if (operationId == "GetLostCalls")
            {
                return await LostCallsPageAsync().ConfigureAwait(false);
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

    // ---- List actions and dropdowns ---------------------------------------------------------------

    private sealed class ListRoute
    {
        public ListRoute(string collection, string cursorParameter, string idProperty)
            : this(collection, cursorParameter, idProperty, null, null)
        {
        }

        public ListRoute(string collection, string cursorParameter, string idProperty, string[] titleFields, string detailField)
        {
            Collection = collection;
            CursorParameter = cursorParameter;
            IdProperty = idProperty;
            TitleFields = titleFields ?? new string[0];
            DetailField = detailField;
        }

        public string Collection { get; private set; }

        public string CursorParameter { get; private set; }

        public string IdProperty { get; private set; }

        public string[] TitleFields { get; private set; }

        public string DetailField { get; private set; }
    }

    // Query parameters a list action owns; every other one is a filter the PBX receives unchanged.
    private static readonly HashSet<string> PagingParameters = new HashSet<string> { "limit", "offset", "snapshot_id" };

    // One page, newest first. snapshot_id pins the list as it was when its first page was read: items
    // with a higher id arrived later. Newest first, they sit before the snapshot, so the page of the
    // snapshot at offset o is at offset o + (items above the pin) in the PBX's list now; one extra
    // request counts them (the PBX's own cursor, initial_<x>_id = pin, lists exactly those).
    private async Task<HttpResponseMessage> ListPageAsync(ListRoute route)
    {
        List<KeyValuePair<string, string>> query = ParseQuery(Context.Request.RequestUri.Query);
        string problem;
        long pageSize = ListNumber(query, "limit", 1, MaxListPageSize, DefaultPageSize, out problem);
        long offset = problem == null ? ListNumber(query, "offset", 0, long.MaxValue, 0, out problem) : 0;
        // 0 is "no snapshot yet", so that a Do until loop can start from a variable set to 0.
        long snapshot = problem == null ? ListNumber(query, "snapshot_id", 0, long.MaxValue, 0, out problem) : 0;
        if (problem != null)
        {
            Log(LogLevel.Warning, Context.OperationId + ": " + problem);
            return ErrorResponse((HttpStatusCode)422, problem);
        }

        List<KeyValuePair<string, string>> filters = query.Where(pair => !IsParameter(pair, route.CursorParameter) && !PagingParameters.Contains(ParameterName(pair))).ToList();
        using (CancellationTokenSource budget = ListBudget())
        {
            try
            {
                // A later page: count the items above the pin, read the page that far on, and count again. The same
                // count twice proves nothing arrived while the page was read; otherwise read again (bounded).
                long arrivals = 0;
                HttpResponseMessage failed = null;
                if (snapshot > 0)
                {
                    long? counted = await CountAboveAsync(route, filters, snapshot, budget.Token, r => failed = r).ConfigureAwait(false);
                    if (counted == null)
                    {
                        return failed != null ? await ExplainErrorAsync(failed, false, null).ConfigureAwait(false) : ListAnswerBroken("the count of items added since the snapshot");
                    }

                    arrivals = counted.Value;
                }

                HttpResponseMessage response;
                JObject envelope;
                JArray raw;
                for (int read = 1; ; read++)
                {
                    response = await TimedSendAsync(CollectionRequest(route, filters, 0, pageSize, offset + arrivals), budget.Token).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        return await ExplainErrorAsync(response, false, null).ConfigureAwait(false);
                    }

                    envelope = ParseObject(await ReadBodyAsync(response).ConfigureAwait(false));
                    raw = envelope == null ? null : ListItems(envelope);
                    if (raw == null)
                    {
                        return ListAnswerBroken("the page");
                    }

                    if (snapshot == 0)
                    {
                        break;
                    }

                    if (!ListRoomForAnother())
                    {
                        Log(LogLevel.Warning, Context.OperationId + ": the PBX is too slow to confirm within the time limit that no item arrived while the page was read; answered unconfirmed.");
                        break;
                    }

                    long? recounted = await CountAboveAsync(route, filters, snapshot, budget.Token, r => failed = r).ConfigureAwait(false);
                    if (recounted == null)
                    {
                        return failed != null ? await ExplainErrorAsync(failed, false, null).ConfigureAwait(false) : ListAnswerBroken("the count of items added since the snapshot");
                    }

                    if (recounted.Value == arrivals)
                    {
                        break;
                    }

                    Log(LogLevel.Information, Context.OperationId + ": " + (recounted.Value - arrivals) + " item(s) arrived while the page was read; reading it again further on.");
                    arrivals = recounted.Value;
                    if (read >= MaxListReads || !ListRoomForAnother())
                    {
                        return ListKeptMoving();
                    }
                }

                // Items above the pin arrived between the count and this page: not part of the snapshot.
                List<JToken> items = raw.Where(item => snapshot == 0 || !(ItemId(item, route.IdProperty) > snapshot)).ToList();
                if (snapshot == 0 && offset == 0 && raw.Count > 0 && !IsNewestFirst(raw, route.IdProperty) && raw.Count >= 2)
                {
                    Log(LogLevel.Warning, Context.OperationId + ": the PBX listed oldest first (assumed newest first); each page is sorted newest first and no snapshot is pinned, since new items then come last.");
                }

                long? pin = snapshot > 0 ? snapshot : (offset == 0 && IsNewestFirstOrSingle(raw, route.IdProperty) ? HighestId(raw, route.IdProperty) : null);
                envelope["data"] = NewestFirst(items, route.IdProperty);
                bool last = raw.Count < pageSize;
                envelope.Remove("nextLink");
                envelope.Remove("snapshotId");
                if (!last)
                {
                    envelope["nextLink"] = NextLink(filters, pageSize, offset + pageSize, pin).AbsoluteUri;
                }

                if (pin != null)
                {
                    envelope["snapshotId"] = pin.Value;
                }

                Log(LogLevel.Information, Context.OperationId + ": " + items.Count + " item(s) at offset " + offset + (arrivals > 0 ? " (" + arrivals + " added since the snapshot skipped)" : string.Empty) + (last ? "; last page." : "; more remain."));
                HttpResponseMessage result = JsonResponse(response.StatusCode, envelope);
                CopyHeaders(response, result);
                return result;
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !CancellationToken.IsCancellationRequested)
            {
                return ListTimedOut();
            }
        }
    }

    // Items with an id above the pin, counted in pages of the largest size. Null when the PBX refused
    // (the response goes to onError) or answered something that is not a list.
    private async Task<long?> CountAboveAsync(ListRoute route, List<KeyValuePair<string, string>> filters, long snapshot, CancellationToken token, Action<HttpResponseMessage> onError)
    {
        long count = 0;
        for (long offset = 0; ; offset += MaxListPageSize)
        {
            HttpResponseMessage response = await TimedSendAsync(CollectionRequest(route, filters, snapshot, MaxListPageSize, offset), token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                onError(response);
                return null;
            }

            JObject body = ParseObject(await ReadBodyAsync(response).ConfigureAwait(false));
            JArray items = body == null ? null : ListItems(body);
            if (items == null)
            {
                return null;
            }

            // Counted here too, in case the PBX ignores its cursor and lists everything (newest first).
            int above = items.Count(item => ItemId(item, route.IdProperty) > snapshot);
            count += above;
            if (items.Count < MaxListPageSize || above < items.Count)
            {
                return count;
            }
        }
    }

    // GetLostCalls (1.0) is forwarded as it was; when the flow set a Page Size, a full page gets a
    // nextLink to the following offset. Without one the PBX's default size is unknown, so no link.
    private async Task<HttpResponseMessage> LostCallsPageAsync()
    {
        HttpResponseMessage response = await SendAsync(Context.Request).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await ExplainErrorAsync(response, false, null).ConfigureAwait(false);
        }

        List<KeyValuePair<string, string>> query = ParseQuery(Context.Request.RequestUri.Query);
        string problem;
        long pageSize = ListNumber(query, "limit", 1, long.MaxValue, 0, out problem);
        long offset = problem == null ? ListNumber(query, "offset", 0, long.MaxValue, 0, out problem) : 0;
        string text = await ReadBodyAsync(response).ConfigureAwait(false);
        JObject envelope = ParseObject(text);
        JArray items = envelope == null ? null : envelope["data"] as JArray;
        if (problem != null || pageSize == 0 || items == null)
        {
            return Rewrap(response, response.StatusCode, text);
        }

        envelope.Remove("nextLink");
        if (items.Count >= pageSize)
        {
            List<KeyValuePair<string, string>> filters = query.Where(pair => !PagingParameters.Contains(ParameterName(pair))).ToList();
            envelope["nextLink"] = NextLink(filters, pageSize, offset + pageSize, null).AbsoluteUri;
        }

        HttpResponseMessage result = JsonResponse(response.StatusCode, envelope);
        CopyHeaders(response, result);
        return result;
    }

    // A dropdown: pages of the largest size until the list ends, MaxChoices or the budget; sorted by title.
    private async Task<HttpResponseMessage> ListChoicesAsync(ListRoute route)
    {
        var choices = new List<JObject>();
        var seen = new HashSet<long>();
        bool complete = false;
        using (CancellationTokenSource budget = ListBudget())
        {
            try
            {
                for (long offset = 0; choices.Count < MaxChoices; offset += MaxListPageSize)
                {
                    if (offset > 0 && !ListRoomForAnother())
                    {
                        break;
                    }

                    HttpResponseMessage response = await TimedSendAsync(CollectionRequest(route, new List<KeyValuePair<string, string>>(), 0, MaxListPageSize, offset), budget.Token).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        return await ExplainErrorAsync(response, false, null).ConfigureAwait(false);
                    }

                    JObject body = ParseObject(await ReadBodyAsync(response).ConfigureAwait(false));
                    JArray items = body == null ? null : ListItems(body);
                    if (items == null)
                    {
                        return ListAnswerBroken("the list");
                    }

                    foreach (JToken item in items)
                    {
                        long? id = ItemId(item, route.IdProperty);
                        if (id != null && seen.Add(id.Value) && choices.Count < MaxChoices)
                        {
                            choices.Add(new JObject { { "id", id.Value }, { "title", ChoiceTitle(item, route, id.Value) } });
                        }
                    }

                    if (items.Count < MaxListPageSize)
                    {
                        complete = true;
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !CancellationToken.IsCancellationRequested)
            {
                if (choices.Count == 0)
                {
                    return ListTimedOut();
                }
            }
        }

        if (!complete)
        {
            Log(LogLevel.Warning, Context.OperationId + ": the dropdown offers the first " + choices.Count + " items; type an ID for any other.");
        }

        var envelope = new JObject
        {
            { "version", EnvelopeVersion },
            { "status", "success" },
            { "statusCode", 200 },
            { "message", string.Empty },
            { "data", new JArray(choices.OrderBy(c => (string)c["title"], StringComparer.CurrentCultureIgnoreCase).ThenBy(c => (long)c["id"])) },
        };
        return JsonResponse(HttpStatusCode.OK, envelope);
    }

    private static string ChoiceTitle(JToken item, ListRoute route, long id)
    {
        var fields = item as JObject;
        string name = string.Join(" ", route.TitleFields.Select(f => TextOf(fields, f)).Where(v => v.Length > 0));
        string detail = route.DetailField == null ? string.Empty : TextOf(fields, route.DetailField);
        string title = name.Length > 0 ? name : "ID " + id;
        if (detail.Length > 0) title += " (" + detail + ")";
        if (fields != null && AsInteger(fields["archived"]) == 1) title += " (archived)";
        return title;
    }

    private static string TextOf(JObject fields, string name)
    {
        JToken value = fields == null ? null : fields[name];
        return value == null || value.Type == JTokenType.Null ? string.Empty : value.ToString().Trim();
    }

    // .../list/<collection> (or /choices/<collection>) -> .../trigger/<collection>, the filters as received,
    // then the cursor, limit and offset.
    private HttpRequestMessage CollectionRequest(ListRoute route, List<KeyValuePair<string, string>> filters, long cursor, long limit, long offset)
    {
        var builder = new UriBuilder(Context.Request.RequestUri);
        string path = builder.Path.TrimEnd('/');
        for (int segment = 0; segment < 2 && path.LastIndexOf('/') >= 0; segment++)
        {
            path = path.Substring(0, path.LastIndexOf('/'));
        }

        builder.Path = path + "/trigger/" + route.Collection;
        var parts = filters.Select(pair => pair.Value == null ? pair.Key : pair.Key + "=" + pair.Value).ToList();
        parts.Add(route.CursorParameter + "=" + cursor);
        parts.Add("limit=" + limit);
        parts.Add("offset=" + offset);
        builder.Query = string.Join("&", parts);
        var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        foreach (KeyValuePair<string, IEnumerable<string>> header in Context.Request.Headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return request;
    }

    // The same operation on the connector with the filters kept and the offset moved on.
    private Uri NextLink(List<KeyValuePair<string, string>> filters, long pageSize, long offset, long? snapshot)
    {
        Uri connectorUri = Context.OriginalRequestUri;
        if (connectorUri == null)
        {
            connectorUri = Context.Request.RequestUri;
            Log(LogLevel.Warning, Context.OperationId + ": no OriginalRequestUri; the next link is built from the PBX URL and does not pass through the connector.");
        }

        var parts = filters.Select(pair => pair.Value == null ? pair.Key : pair.Key + "=" + pair.Value).ToList();
        parts.Add("limit=" + pageSize);
        parts.Add("offset=" + offset);
        if (snapshot != null)
        {
            parts.Add("snapshot_id=" + snapshot.Value);
        }

        var builder = new UriBuilder(connectorUri) { Query = string.Join("&", parts), Fragment = string.Empty };
        return builder.Uri;
    }

    // A whole number in [min, max]; the fallback when absent or empty; a message naming the input otherwise.
    private static long ListNumber(List<KeyValuePair<string, string>> query, string name, long min, long max, long fallback, out string problem)
    {
        problem = null;
        string text = QueryValue(query, name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        long value;
        if (!Regex.IsMatch(text, "^[0-9]{1,18}$") || !long.TryParse(text, out value) || value < min || value > max)
        {
            string title = name == "limit" ? "Page Size" : name == "offset" ? "Offset" : "Snapshot ID";
            problem = title + " (" + name + ") must be a whole number" + (max == long.MaxValue ? " of at least " + min : " from " + min + " to " + max) + ", not \"" + text + "\". Correct the input or leave it empty.";
            return fallback;
        }

        return value;
    }

    private static string ParameterName(KeyValuePair<string, string> pair)
    {
        return Uri.UnescapeDataString(pair.Key.Replace('+', ' '));
    }

    private static bool IsParameter(KeyValuePair<string, string> pair, string name)
    {
        return ParameterName(pair) == name;
    }

    // data as a list; missing or null is an empty list; anything else is not a list.
    private static JArray ListItems(JObject body)
    {
        JToken data = body["data"];
        if (data == null || data.Type == JTokenType.Null)
        {
            return new JArray();
        }

        return data as JArray;
    }

    private static bool IsNewestFirstOrSingle(JArray items, string idProperty)
    {
        return items.Count < 2 || IsNewestFirst(items, idProperty);
    }

    private static long? HighestId(JArray items, string idProperty)
    {
        List<long> ids = items.Select(item => ItemId(item, idProperty)).Where(id => id != null).Select(id => id.Value).ToList();
        return ids.Count == 0 ? (long?)null : ids.Max();
    }

    // Highest id first; items without an id keep their order at the end.
    private static JArray NewestFirst(List<JToken> items, string idProperty)
    {
        var sorted = new JArray();
        foreach (JToken item in items.Where(i => ItemId(i, idProperty) != null).OrderByDescending(i => ItemId(i, idProperty).Value))
        {
            sorted.Add(item);
        }

        foreach (JToken item in items.Where(i => ItemId(i, idProperty) == null))
        {
            sorted.Add(item);
        }

        return sorted;
    }

    // Bounds one execution end to end; the platform's own cancellation still applies.
    private CancellationTokenSource ListBudget()
    {
        listWatch = Stopwatch.StartNew();
        listSlowestMs = 0;
        CancellationTokenSource budget = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
        budget.CancelAfter(ListBudgetMilliseconds);
        return budget;
    }

    private Stopwatch listWatch;

    private long listSlowestMs;

    private async Task<HttpResponseMessage> TimedSendAsync(HttpRequestMessage request, CancellationToken token)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return await Context.SendAsync(request, token).ConfigureAwait(false);
        }
        finally
        {
            listSlowestMs = Math.Max(listSlowestMs, watch.ElapsedMilliseconds);
        }
    }

    // Another request as slow as the slowest so far (and a quarter more) still ends within the budget.
    private bool ListRoomForAnother()
    {
        return listWatch == null || ListBudgetMilliseconds - listWatch.ElapsedMilliseconds > listSlowestMs * 5 / 4;
    }

    // Items kept arriving faster than a page could be read and counted.
    private HttpResponseMessage ListKeptMoving()
    {
        Log(LogLevel.Warning, Context.OperationId + ": items kept arriving while the page was read " + MaxListReads + " times.");
        return ErrorResponse(HttpStatusCode.ServiceUnavailable, "Items kept arriving while this page was read, so it could not be read as it was at the first page. Try again in a moment (the same Offset and Snapshot ID).");
    }

    private HttpResponseMessage ListTimedOut()
    {
        Log(LogLevel.Error, Context.OperationId + ": the PBX did not answer within " + ListBudgetMilliseconds + " ms.");
        return ErrorResponse(HttpStatusCode.GatewayTimeout, "The PBX did not answer in time (the connector may wait " + (ListBudgetMilliseconds / 1000) + "." + (ListBudgetMilliseconds % 1000 / 100) + " s). Try again; a smaller Page Size helps when the PBX is slow.");
    }

    private HttpResponseMessage ListAnswerBroken(string what)
    {
        Log(LogLevel.Error, Context.OperationId + ": the PBX answered " + what + " with a body that is not a list.");
        return ErrorResponse(HttpStatusCode.BadGateway, "The PBX answered " + what + " with something that is not a list. Try again later.");
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
                return "The PBX does not accept requests from this IP address (HTTP 403). In the Zvanu Parvaldnieks admin portal, allow the Power Platform outbound IP addresses of your region for this API key.";
            }

            if (Regex.IsMatch(pbxSaid, @"key|token|auth|credential", RegexOptions.IgnoreCase))
            {
                return "The PBX rejected the API key (HTTP 403). " + KeyAdvice;
            }

            return "The PBX refused the request (HTTP 403): the API key may be wrong or this IP address may not be allowed. Check both in the Zvanu Parvaldnieks admin portal.";
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
