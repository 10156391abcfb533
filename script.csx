// Custom code of the connector, one file for every brand (C# 7; compiled by the platform and, in tests, by Mono's mcs).
// What it adds to plain forwarding:
// - the API key reaches the PBX as "Bearer <key>" whichever way it was typed into the connection;
// - webhook registrations answer 201 with a Location that points back through the connector, so the
//   platform's DELETE reaches DeleteWebhookByID with the key (no more leaked webhooks); a registration whose
//   outcome is unknown is an error that says so, never a success without Location;
// - polling triggers answer the polling protocol themselves (202/200 + Location) and drain any burst across
//   checks, newest first, nothing skipped or repeated, in either listing order;
// - every execution answers within a 3.5 s budget (the platform allows 5 s), PBX waits included, even if the
//   platform's SendAsync ignores its cancellation token; Dial and registrations then say the action may have happened;
// - list actions and designer dropdowns read the polling triggers' PBX lists, one page per call, with a
//   nextLink back through the connector that keeps the pages of a list stable while calls arrive;
// - a list the PBX answers with 404 "no items found" is an empty list; ids of any length are compared as numbers;
// - PBX errors keep their status and envelope and get a message a flow author can act on; no header the PBX
//   chose reaches the platform (the script writes every Location), and the key never appears in an error or a log;
// - GetRecordingFile answers a recording's audio as file content, the API key sent only to the PBX's own host.
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
    private const int DefaultPageSize = 100;

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
    // joins the name fields and adds the detail field in brackets ("First Last (number)").
    private static readonly Dictionary<string, ListRoute> Choices = new Dictionary<string, ListRoute>
    {
        { "ListContactChoices", new ListRoute("contacts", "initial_contact_id", "contactID", new[] { "firstname", "lastname" }, "number") },
        { "ListGroupChoices", new ListRoute("groups", "initial_group_id", "groupID", new[] { "name" }, null) },
        { "ListVoicemailBoxChoices", new ListRoute("voicemail_boxes", "initial_box_id", "voicemailBoxID", new[] { "boxName" }, null) },
        { "ListVoipEndpointChoices", new ListRoute("voip_endpoints", "initial_endpoint_id", "id", new[] { "name" }, null) },
        { "ListCallRecordingChoices", new ListRoute("call_records", "initial_record_id", "recordingID", new[] { "callStarted", "caller" }, "direction") },
    };

    // Page size of a list action when the flow sets none.
    private const int DefaultListPageSize = 50;

    // The largest page a list asks for: the PBX's own cap is unknown and assumed to be 100 (unconfirmed).
    private const int MaxListPageSize = 100;

    // A dropdown offers at most this many items: 3 PBX pages of 100, within one execution's budget.
    private const int MaxChoices = 300;

    // PBX pages one list call reads at most (more than one when items to skip filled a page, or to learn the order).
    private const int MaxListReads = 3;

    // How many places from where its id puts it the PBX may list an item, across the page where reading stops
    // (neighbours swapped by a sort on another field; unconfirmed). Within a page any order is handled. A list or a
    // drain that stops before the end leaves this many of its last items for the next read, which reads them again.
    private const int ListDisorder = 2;

    // The answer of a Dial or a registration whose outcome is unknown (no answer in time, a connection reset, an answer
    // without the webhook id). The platform's default retry policy resends on 408, 429 and 5xx
    // (learn.microsoft.com/azure/logic-apps/error-exception-handling, "Retry policies"), which would dial twice or leave
    // a second webhook; 424 (Failed Dependency: the PBX this request depends on failed) is a 4xx it does not resend.
    private const HttpStatusCode OutcomeUnknown = (HttpStatusCode)424;

    private static readonly Regex PhoneLike = new Regex(@"\+?\d(?:[ \-]?\d){6,}", RegexOptions.Compiled);

    // What the operation asks of the PBX: the advice on a 404 and on a failure, and whether it is idempotent.
    private enum RequestKind
    {
        ReadById,
        List,
        Action,
        Registration,
    }

    private string apiKey;

    private RequestKind kind;

    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        budget = new Budget(Stopwatch.StartNew(), BudgetMs);
        string operationId = Context.OperationId;
        kind = KindOf(operationId);
        HttpResponseMessage keyMissing = NormaliseApiKey();
        if (keyMissing != null)
        {
            return keyMissing;
        }

        try
        {
            return await DispatchAsync(operationId).ConfigureAwait(false);
        }
        catch (MalformedAnswerException e)
        {
            return IsNotIdempotent()
                ? UnknownOutcome(e.Message)
                : ErrorResponse(HttpStatusCode.BadGateway, e.Message + " " + AfterFailure(operationId));
        }
        catch (HttpRequestException e)
        {
            if (IsNotIdempotent())
            {
                return UnknownOutcome("The connection to the PBX failed before it answered (" + e.Message + ").");
            }

            Log(LogLevel.Error, operationId + ": the PBX could not be reached: " + e.Message);
            return ErrorResponse(HttpStatusCode.BadGateway, "The connector could not reach the PBX (" + e.Message + "). " + AfterFailure(operationId));
        }
        catch (BudgetExceededException)
        {
            if (IsNotIdempotent())
            {
                return UnknownOutcome("The PBX did not answer within the connector's time limit (" + Seconds(BudgetMs) + " s), so the connector stopped waiting.");
            }

            Log(LogLevel.Warning, operationId + ": the PBX did not answer within " + BudgetMs + " ms; the request was cancelled.");
            return ErrorResponse(HttpStatusCode.GatewayTimeout, "The PBX did not answer within the connector's time limit, so the request was cancelled. " + AfterFailure(operationId));
        }
        catch (OperationCanceledException)
        {
            // The platform gave up on this execution (its 5-second limit, or the flow was cancelled).
            if (IsNotIdempotent())
            {
                return UnknownOutcome("The request was cancelled before the PBX answered.");
            }

            Log(LogLevel.Warning, operationId + ": cancelled by the platform after " + budget.ElapsedMs + " ms.");
            return ErrorResponse(HttpStatusCode.GatewayTimeout, "The request was cancelled before the PBX answered. Nothing was changed; try again later (triggers retry on their own).");
        }
    }

    private async Task<HttpResponseMessage> DispatchAsync(string operationId)
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

        if (operationId == "GetRecordingFile")
        {
            return await RecordingFileAsync().ConfigureAwait(false);
        }

        PbxAnswer answer = await SendToPbxAsync(Context.Request).ConfigureAwait(false);
        if (!Actions.Contains(operationId))
        {
            // Status and body as the PBX answered them; its headers stay behind like everywhere else.
            Log(LogLevel.Warning, "Operation " + operationId + " has no custom handling; forwarded unchanged.");
            return Relay(answer, answer.Status);
        }

        return answer.Succeeded ? Relay(answer, answer.Status) : Explain(answer, null);
    }

    private static RequestKind KindOf(string operationId)
    {
        if (WebhookRegistrations.Contains(operationId)) return RequestKind.Registration;
        if (operationId == "Dial") return RequestKind.Action;
        bool lists = PollingTriggers.ContainsKey(operationId) || ListActions.ContainsKey(operationId) || Choices.ContainsKey(operationId) || operationId == "GetLostCalls";
        return lists ? RequestKind.List : RequestKind.ReadById;
    }

    // Not idempotent: the PBX acts on each call (a second call, a second webhook), and the API offers no way to tell a
    // repeat from a new request.
    private bool IsNotIdempotent()
    {
        return kind == RequestKind.Action || kind == RequestKind.Registration;
    }

    private static string AfterFailure(string operationId)
    {
        return PollingTriggers.ContainsKey(operationId)
            ? "Nothing was delivered and the trigger keeps its position: the next check tries again."
            : "Try again later; triggers retry on their own.";
    }

    // A Dial or a registration whose outcome is unknown: a status the platform does not resend, and what to check.
    private HttpResponseMessage UnknownOutcome(string what)
    {
        string message = what + " " + MayHaveHappened(Context.OperationId);
        Log(LogLevel.Error, Context.OperationId + ": " + message);
        return ErrorResponse(OutcomeUnknown, message);
    }

    private static string MayHaveHappened(string operationId)
    {
        return operationId == "Dial"
            ? "The call may have been placed all the same: check the phone or the call history before dialling again. Set the action's Retry Policy to None (its Settings) so that the platform never dials twice."
            : "A webhook may have been registered all the same. In the " + BrandPortal + " (" + BrandWebhooksMenu + "), delete the webhooks that point to this flow, then save the flow or turn it on again; a webhook left behind makes the flow run twice for each event and counts toward the limit of 20.";
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

    // ---- The PBX exchange ---------------------------------------------------------------------------
    //
    // Every PBX request goes through SendToPbxAsync: raced against the execution's budget and read whole into a
    // PbxAnswer. Every answer to the platform is then built by the script: no header the PBX chose passes (its
    // Location above all: the platform would poll it, or send a webhook's DELETE there without the key), only the
    // content type and, where it means throttling, Retry-After. The hops of a recording's file (on the PBX's host or
    // another) go through it too, read as bytes up to a cap.

    private sealed class PbxAnswer
    {
        private string text;

        public HttpStatusCode Status;
        public MediaTypeHeaderValue ContentType;
        public string RetryAfter;
        public int? RetryAfterSeconds;

        // A file hop only (read as bytes): the body, null when it is larger than the cap; the Content-Length declared;
        // the Location of a redirect, which the script follows itself (never passed on); the URL the answer came from.
        public byte[] Bytes;
        public long? Length;
        public Uri Location;
        public Uri Reached;

        // The body as text (a file hop's bytes read as UTF-8 when asked: an error page quoted).
        public string Text
        {
            get { return text ?? (text = Bytes == null ? string.Empty : Encoding.UTF8.GetString(Bytes)); }
            set { text = value; }
        }

        public int Code { get { return (int)Status; } }

        public bool Succeeded { get { return Code >= 200 && Code < 300; } }
    }

    // The request runs until the PBX answers or the budget ends, whichever comes first. Context.SendAsync gets a token
    // that fires at the deadline, but whether the platform honours it is undocumented: Task.WhenAny with the deadline
    // holds the budget either way (an abandoned request is left to finish or fail on its own). With maxBytes the body is
    // read as bytes, at most that many (a file); without, as text.
    private async Task<PbxAnswer> SendToPbxAsync(HttpRequestMessage request, long maxBytes = -1)
    {
        long remaining = budget.RemainingMs;
        if (remaining <= 0)
        {
            throw new BudgetExceededException();
        }

        var watch = Stopwatch.StartNew();
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromMilliseconds(remaining));
            Task<PbxAnswer> exchange = ExchangeAsync(request, maxBytes, deadline.Token);
            Task expiry = Task.Delay(Timeout.Infinite, deadline.Token);
            Task first = await Task.WhenAny(exchange, expiry).ConfigureAwait(false);
            budget.Record(watch.ElapsedMilliseconds);
            deadline.Cancel();
            if (first == exchange && exchange.Status == TaskStatus.RanToCompletion)
            {
                return exchange.Result;
            }

            if (first == exchange && exchange.IsFaulted && !(exchange.Exception.GetBaseException() is OperationCanceledException))
            {
                throw exchange.Exception.GetBaseException();
            }

            Abandon(exchange);
            if (CancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(CancellationToken);
            }

            throw new BudgetExceededException();
        }
    }

    private async Task<PbxAnswer> ExchangeAsync(HttpRequestMessage request, long maxBytes, CancellationToken token)
    {
        HttpResponseMessage response = await Context.SendAsync(request, token).ConfigureAwait(false);
        using (response)
        {
            IEnumerable<string> values;
            string retryAfter = response.Headers.TryGetValues("Retry-After", out values) ? string.Join(", ", values) : null;
            var answer = new PbxAnswer
            {
                Status = response.StatusCode,
                ContentType = response.Content == null ? null : response.Content.Headers.ContentType,
                RetryAfter = retryAfter,
                RetryAfterSeconds = RetryAfterSeconds(response.Headers.RetryAfter, retryAfter),
            };
            try
            {
                if (maxBytes < 0)
                {
                    answer.Text = response.Content == null ? string.Empty : await ReadTextAsync(response.Content).ConfigureAwait(false);
                }
                else
                {
                    // A file hop: what following it and capping it need (a PBX answer is never asked for its Location).
                    answer.Length = response.Content == null ? null : response.Content.Headers.ContentLength;
                    answer.Location = response.Headers.Location;
                    answer.Reached = response.RequestMessage == null ? null : response.RequestMessage.RequestUri;
                    if (answer.Length == null || answer.Length.Value <= maxBytes)
                    {
                        answer.Bytes = await ReadAtMostAsync(response.Content, maxBytes, token).ConfigureAwait(false);
                    }
                }
            }
            catch (IOException e)
            {
                // The connection broke while the body was on its way: as unreachable as no answer at all.
                throw new HttpRequestException("the answer was cut off: " + e.Message, e);
            }

            return answer;
        }
    }

    // The body as text in the charset its Content-Type names. A charset .NET does not know (a typo of the PBX's) makes
    // ReadAsStringAsync throw after reading the body: it is then read as UTF-8, so the answer is explained, not lost.
    private static async Task<string> ReadTextAsync(HttpContent content)
    {
        try
        {
            return await content.ReadAsStringAsync().ConfigureAwait(false) ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(await content.ReadAsByteArrayAsync().ConfigureAwait(false));
        }
    }

    // The body's bytes, or null as soon as there are more than maxBytes (the rest is not read).
    private static async Task<byte[]> ReadAtMostAsync(HttpContent content, long maxBytes, CancellationToken token)
    {
        if (content == null)
        {
            return new byte[0];
        }

        using (Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
        using (var bytes = new MemoryStream())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, token).ConfigureAwait(false)) > 0)
            {
                bytes.Write(chunk, 0, read);
                if (bytes.Length > maxBytes)
                {
                    return null;
                }
            }

            return bytes.ToArray();
        }
    }

    // A request the execution no longer waits for: its failure, if any, is observed here and goes nowhere.
    private static void Abandon(Task task)
    {
        task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    // The PBX's status and body, with its media type; Retry-After only on a throttling answer passed on as such. The text
    // is written in UTF-8, so a charset the PBX named (another one, or one .NET does not know) becomes utf-8.
    private static HttpResponseMessage Relay(PbxAnswer answer, HttpStatusCode status)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(answer.Text, Encoding.UTF8) };
        MediaTypeHeaderValue type = answer.ContentType == null ? new MediaTypeHeaderValue("application/json") : new MediaTypeHeaderValue(answer.ContentType.MediaType);
        if (answer.ContentType != null && answer.ContentType.CharSet != null)
        {
            type.CharSet = "utf-8";
        }

        response.Content.Headers.ContentType = type;
        KeepRetryAfter(answer, response);
        return response;
    }

    // Retry-After tells the platform when to try again after 429 or 503; on any other answer (a 202 above all, where
    // it sets the polling interval) the script decides it alone.
    private static void KeepRetryAfter(PbxAnswer answer, HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        if (answer.RetryAfter != null && answer.Code == status && (status == 429 || status == 503))
        {
            response.Headers.TryAddWithoutValidation("Retry-After", answer.RetryAfter);
        }
    }

    // A 404 on a list route is either the PBX's "no items found" (the public reference page quotes it as "There are no
    // items found based on the request...", and 1.0 declares 404 on every /trigger/* list) or a route the PBX does not
    // have (a wrong or renamed path). Only the message tells them apart, so only that message makes an empty page: any
    // other 404 (an HTML page, "Not Found", an empty body) stays an error, and a misrouted list never looks empty.
    private static bool IsNoItems(PbxAnswer answer)
    {
        if (answer.Code != 404)
        {
            return false;
        }

        JObject body = ParseObject(answer.Text);
        JToken message = body == null ? null : body["message"];
        return message != null && message.Type == JTokenType.String && Regex.IsMatch((string)message, @"\bno items\b", RegexOptions.IgnoreCase);
    }

    private sealed class Listed
    {
        public Listed(Id id, JToken item, long position)
        {
            Id = id;
            Item = item;
            Position = position;
        }

        public Id Id { get; private set; }

        public JToken Item { get; private set; }

        // Place in the PBX's listing where it was read (offset + index in the page).
        public long Position { get; private set; }
    }

    // One page of a PBX list: its items with their ids, or the PBX's error. "No items found" is an empty page.
    private sealed class PbxPage
    {
        public readonly List<Listed> Items = new List<Listed>();
        public JObject Envelope;
        public PbxAnswer Error;

        public int Count { get { return Items.Count; } }

        public List<Id> Ids()
        {
            return Items.Select(i => i.Id).ToList();
        }
    }

    // `offset` and `limit` are the place and size asked for: each item's place is taken as offset + index, less what the
    // page ran over the limit (a page longer than asked may repeat an item, so a later item may sit that much earlier).
    private async Task<PbxPage> ReadPageAsync(HttpRequestMessage request, string idProperty, long offset, long limit, string what)
    {
        PbxAnswer answer = await SendToPbxAsync(request).ConfigureAwait(false);
        var page = new PbxPage();
        if (IsNoItems(answer))
        {
            return page;
        }

        if (!answer.Succeeded)
        {
            page.Error = answer;
            return page;
        }

        JObject body = ParseObject(answer.Text);
        JArray items = body == null ? null : PageItems(body, idProperty);
        if (items == null)
        {
            string shape = body == null ? "a body that is not a JSON object (" + Excerpt(WithoutKey(answer.Text)) + ")" : "data that is not a list (" + DescribeType(body["data"]) + ")";
            throw new MalformedAnswerException("The PBX answered " + what + " with " + shape + ".");
        }

        page.Envelope = body;
        long slack = Math.Max(0, items.Count - limit);
        for (int i = 0; i < items.Count; i++)
        {
            page.Items.Add(new Listed(ItemId(items[i], idProperty), items[i], offset + Math.Max(0, i - slack)));
        }

        return page;
    }

    // data is a list; missing or null is an empty list; a lone item (an object with the id) is a list of one.
    private static JArray PageItems(JObject body, string idProperty)
    {
        JToken data = body["data"];
        if (data == null || data.Type == JTokenType.Null)
        {
            return new JArray();
        }

        if (data.Type == JTokenType.Array)
        {
            return (JArray)data;
        }

        if (data.Type == JTokenType.Object && Id.FromToken(data[idProperty]) != null)
        {
            return new JArray(data);
        }

        return null;
    }

    // ---- Ids --------------------------------------------------------------------------------------

    // A PBX id of any length, a JSON number or a string of digits, compared as a number without overflow: its digits
    // without leading zeros, the shorter the smaller. The PBX's id range is unknown (unconfirmed), so nothing assumes Int64.
    private sealed class Id : IComparable<Id>
    {
        public static readonly Id Zero = new Id("0");

        private readonly string digits;

        private Id(string digits)
        {
            this.digits = digits;
        }

        public bool IsZero { get { return digits == "0"; } }

        // Digits only (spaces around them allowed); null for anything else.
        public static Id Parse(string text)
        {
            string trimmed = (text ?? string.Empty).Trim();
            if (!Regex.IsMatch(trimmed, "^[0-9]+$"))
            {
                return null;
            }

            string significant = trimmed.TrimStart('0');
            return new Id(significant.Length == 0 ? "0" : significant);
        }

        // A JSON integer of any size or a string of digits, 0 or more; a float only when whole and exact; null otherwise.
        public static Id FromToken(JToken token)
        {
            if (token == null)
            {
                return null;
            }

            if (token.Type == JTokenType.Integer || token.Type == JTokenType.String)
            {
                return Parse(token.Type == JTokenType.String ? (string)token : token.ToString(Formatting.None));
            }

            if (token.Type == JTokenType.Float)
            {
                double number = (double)token;
                return number >= 0 && Math.Floor(number) == number && number < 9e15 ? new Id(((long)number).ToString()) : null;
            }

            return null;
        }

        public static Id Max(Id a, Id b)
        {
            return a == null ? b : b == null ? a : (a.CompareTo(b) >= 0 ? a : b);
        }

        public static Id Min(Id a, Id b)
        {
            return a == null ? b : b == null ? a : (a.CompareTo(b) <= 0 ? a : b);
        }

        public int CompareTo(Id other)
        {
            int byLength = digits.Length.CompareTo(other.digits.Length);
            return byLength != 0 ? byLength : string.CompareOrdinal(digits, other.digits);
        }

        public override bool Equals(object obj)
        {
            var other = obj as Id;
            return other != null && other.digits == digits;
        }

        public override int GetHashCode()
        {
            return digits.GetHashCode();
        }

        public override string ToString()
        {
            return digits;
        }

        // A JSON number whatever its size.
        public JToken ToJson()
        {
            long number;
            return long.TryParse(digits, out number) ? (JToken)new JValue(number) : new JRaw(digits);
        }
    }

    // The PBX answered something the connector cannot use safely (a list item without a usable id, a page that is not a
    // list): a 502 that names what was wrong, never an exception the platform reports without a word.
    private sealed class MalformedAnswerException : Exception
    {
        public MalformedAnswerException(string message) : base(message)
        {
        }
    }

    // The id of a list item; a missing or malformed one is a MalformedAnswerException naming the field, since an item
    // that cannot be placed could be skipped or repeated.
    private Id ItemId(JToken item, string idProperty)
    {
        var fields = item as JObject;
        if (fields == null)
        {
            throw new MalformedAnswerException("The PBX listed an item that is not an object (" + DescribeType(item) + "), so it has no " + idProperty + ".");
        }

        JToken value = fields[idProperty];
        Id id = Id.FromToken(value);
        if (id == null)
        {
            string shown = value == null ? "missing" : (value.Type == JTokenType.Null ? "null" : Cut(WithoutKey(value.ToString(Formatting.None)), 40) + " (" + DescribeType(value) + ")");
            throw new MalformedAnswerException("The PBX listed an item whose " + idProperty + " is " + shown + ", not a whole number of 0 or more, so the connector cannot keep the list in order.");
        }

        return id;
    }

    // ---- Webhooks ---------------------------------------------------------------------------------

    private async Task<HttpResponseMessage> RegisterWebhookAsync()
    {
        PbxAnswer answer = await SendToPbxAsync(Context.Request).ConfigureAwait(false);
        if (!answer.Succeeded)
        {
            return Explain(answer, null);
        }

        string problem;
        string webhookId = FindWebhookId(answer.Text, out problem);
        if (webhookId == null)
        {
            // Without the id the platform has no Location to DELETE later: a success here would leak the webhook for good.
            return UnknownOutcome("The PBX answered the registration with HTTP " + answer.Code + " but " + problem + ", so the connector cannot give the platform the webhook's ID to remove it when the flow is turned off or deleted.");
        }

        Uri connectorUri = Context.OriginalRequestUri;
        if (connectorUri == null)
        {
            connectorUri = Context.Request.RequestUri;
            Log(LogLevel.Warning, Context.OperationId + ": no OriginalRequestUri; the Location is built from the PBX URL and its DELETE will not pass through the connector.");
        }

        HttpResponseMessage created = Relay(answer, HttpStatusCode.Created);
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
            problem = text.Trim().Length == 0 ? "with an empty body" : "with a body that is not a JSON object";
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

        Id id = Id.FromToken(data);
        if (id == null)
        {
            problem = "data holds no integer id (" + DescribeType(data) + ")";
            return null;
        }

        problem = null;
        return id.ToString();
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
        PbxAnswer answer = await SendToPbxAsync(Context.Request).ConfigureAwait(false);
        if (answer.Code == 404 || answer.Code == 410)
        {
            // Already gone: success, so that the platform stops retrying the unsubscribe.
            Log(LogLevel.Information, "DeleteWebhookByID: the PBX no longer has this webhook (" + answer.Code + "); answered as deleted.");
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

        return answer.Succeeded ? Relay(answer, answer.Status) : Explain(answer, null);
    }

    // ---- Time budget (every PBX request) -----------------------------------------------------------

    // The platform cancels custom code after 5 s; every execution answers within BudgetMs, PBX waits included.
    private const int BudgetMs = 3500;

    // A PBX request is started only if one as slow as the slowest so far (plus this margin for jitter) still fits.
    private const double SlowestRequestMargin = 1.15;

    // PBX requests end by this share of the budget; the rest is kept for reading pages and writing the answer.
    private const double RequestShareOfBudget = 0.9;

    private sealed class BudgetExceededException : Exception
    {
        public BudgetExceededException() : base("The time budget of this execution ran out while the PBX was answering.")
        {
        }
    }

    // Wall time of one execution: started when ExecuteAsync begins, read before every PBX request.
    private sealed class Budget
    {
        private readonly Stopwatch watch;
        private readonly long limitMs;
        private long slowestMs;

        public Budget(Stopwatch watch, long limitMs)
        {
            this.watch = watch;
            this.limitMs = (long)(limitMs * RequestShareOfBudget);
        }

        public long ElapsedMs { get { return watch.ElapsedMilliseconds; } }

        // Time left for PBX requests.
        public long RemainingMs { get { return Math.Max(0, limitMs - watch.ElapsedMilliseconds); } }

        public long SlowestMs { get { return slowestMs; } }

        // True when another request, as slow as the slowest one seen (with a margin), ends before the deadline.
        public bool RoomForAnother()
        {
            return RemainingMs > (long)(slowestMs * SlowestRequestMargin);
        }

        public void Record(long ms)
        {
            slowestMs = Math.Max(slowestMs, ms);
        }
    }

    private Budget budget;

    private static string Seconds(long ms)
    {
        return (ms / 1000) + "." + (ms % 1000 / 100);
    }

    // ---- Polling triggers -------------------------------------------------------------------------
    //
    // The script answers the polling protocol itself (no pollingtrigger policy): 202 + Location when nothing is
    // owed, 200 + the new items (newest first) + Location otherwise. The state lives in the Location's query:
    // - initial_<x>_id = N, the 1.0 cursor: every item with an id at or below N was delivered or predates the flow.
    //   The PBX gets it as is (items with an id above N); a 1.0 URL (no marker) keeps working.
    // - StateMarker (always): this Location was written by this script, so N = 0 is an empty account, not a new flow.
    // - a newest-first drain in progress: ids in [low, high] were delivered as well; they fill the top of the listing
    //   up to place `pos`, so the next check resumes there (one place earlier, to see that nothing moved up).
    // - cap: the largest page the PBX has returned (its silent cap is at least that), so a shorter page is the end.
    // - scan: the first check could not see the newest item (oldest-first listing longer than a page).
    // These parameters never reach the PBX. Only "ids above N" and limit/offset are relied on, in either order; the
    // order is told by whole pages (a later page's ids below or above an earlier one's), never within a page.

    private const string StatePrefix = "poll_";
    private const string StateMarker = "poll_v";
    private const string StateLow = "poll_low";
    private const string StateHigh = "poll_high";
    private const string StatePosition = "poll_pos";
    private const string StateCap = "poll_cap";
    private const string StateScan = "poll_scan";

    // Assumption (unconfirmed): the PBX answers at least this many items per page when asked for them. Only the first
    // check of a new flow relies on it.
    private const int AssumedMinimumCap = 100;

    // At most this many items are answered per check (the response stays well under the platform's size limits).
    private const int MaxItemsPerCheck = 2500;

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

    private sealed class PollState
    {
        public Id Cursor = Id.Zero;
        public bool Marked;
        public Id Low;
        public Id High;
        public long Position;
        public long Cap;
        public bool Scan;
    }

    // What one pass over the listing found.
    private sealed class Pass
    {
        public readonly List<Listed> Items = new List<Listed>();
        public readonly List<List<Id>> Pages = new List<List<Id>>();
        public readonly HashSet<Id> Seen = new HashSet<Id>();
        public JObject Envelope;
        public HttpResponseMessage Error;
        public bool Ended;
        public bool Moved;
        public long Position;
        public long LargestPage;
        public long Overrun;
        public int Requests;
        public Id MaxListed;
    }

    private sealed class PollRequest
    {
        public PollingTrigger Trigger;
        public Uri PbxUri;
        public List<KeyValuePair<string, string>> PbxQuery;
        public long PageSize;
        public long UserOffset;
    }

    private async Task<HttpResponseMessage> PollAsync(PollingTrigger trigger)
    {
        Uri requestUri = Context.Request.RequestUri;
        List<KeyValuePair<string, string>> query = ParseQuery(requestUri.Query);
        Uri connectorUri = ConnectorUri();
        List<KeyValuePair<string, string>> connectorQuery = ParseQuery(connectorUri.Query);

        string limitText = QueryValue(query, "limit");
        string offsetText = QueryValue(query, "offset");
        long pageSize = DefaultPageSize;
        long userOffset = 0;
        if ((limitText != null && limitText.Length > 0 && (!long.TryParse(limitText, out pageSize) || pageSize < 1))
            || (offsetText != null && offsetText.Length > 0 && (!long.TryParse(offsetText, out userOffset) || userOffset < 0)))
        {
            Log(LogLevel.Warning, Context.OperationId + ": limit or offset is not a whole number; nothing was asked of the PBX.");
            return ErrorResponse(HttpStatusCode.BadRequest, "Page Size must be a whole number of at least 1 and Offset a whole number of at least 0 (got \"" + (limitText ?? string.Empty) + "\" and \"" + (offsetText ?? string.Empty) + "\"). Edit the trigger's inputs; nothing was delivered and nothing is lost.");
        }

        if (limitText == null || limitText.Length == 0)
        {
            pageSize = DefaultPageSize;
        }

        PollState state = ReadState(connectorQuery, query, trigger);
        if (state == null)
        {
            Log(LogLevel.Warning, Context.OperationId + ": the trigger's state in its URL is not readable.");
            return ErrorResponse(HttpStatusCode.BadRequest, "The trigger's position (" + trigger.CursorParameter + " and the " + StatePrefix + "* values of its URL) is not readable. Turn the flow off and on again to start from the newest item.");
        }

        var poll = new PollRequest
        {
            Trigger = trigger,
            PbxUri = requestUri,
            PbxQuery = query.Where(p => !IsStateParameter(p.Key) && !IsNamed(p.Key, trigger.CursorParameter) && !IsNamed(p.Key, "limit") && !IsNamed(p.Key, "offset")).ToList(),
            PageSize = pageSize,
            UserOffset = userOffset,
        };

        if (!state.Marked && state.Cursor.IsZero)
        {
            return await FirstCheckAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
        }

        if (state.Scan)
        {
            return await FinishBaselineAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
        }

        return await DeliverAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
    }

    // A new flow: nothing delivered; the Location starts after the newest item seen. A first page that is not the
    // whole listing is followed by the second, whose ids (below or above the first's) tell where the newest item is.
    private async Task<HttpResponseMessage> FirstCheckAsync(PollRequest poll, PollState state, Uri connectorUri, List<KeyValuePair<string, string>> connectorQuery)
    {
        Pass pass = await ListAsync(poll, Id.Zero, 0, 2, AssumedMinimumCap, id => false).ConfigureAwait(false);
        if (pass.Error != null) return pass.Error;
        if (pass.Requests == 0) return TooSlow(poll, "The trigger's first check");

        state.Marked = true;
        state.Cap = Math.Max(state.Cap, pass.LargestPage);
        state.Cursor = pass.MaxListed ?? Id.Zero;
        // Newest first, the newest item is on the first page. Oldest first it lies at the end: later checks read on
        // (delivering nothing) before they start delivering.
        state.Scan = !pass.Ended && Ascending(pass.Pages) == true;
        Log(LogLevel.Information, Context.OperationId + ": first check; items after " + state.Cursor + " will be delivered" + (state.Scan ? " once the oldest-first listing has been read to its end." : "."));
        return Answer(poll, state, connectorUri, connectorQuery, null, state.Scan);
    }

    // Oldest-first listing at the first check: read on to the end, delivering nothing.
    private async Task<HttpResponseMessage> FinishBaselineAsync(PollRequest poll, PollState state, Uri connectorUri, List<KeyValuePair<string, string>> connectorQuery)
    {
        Pass pass = await ListAsync(poll, state.Cursor, 0, int.MaxValue, state.Cap, id => false).ConfigureAwait(false);
        if (pass.Error != null) return pass.Error;
        if (pass.Requests == 0) return TooSlow(poll, "This check");
        state.Cap = Math.Max(state.Cap, pass.LargestPage);
        state.Cursor = Id.Max(state.Cursor, pass.MaxListed);
        state.Scan = !pass.Ended;
        return Answer(poll, state, connectorUri, connectorQuery, null, state.Scan);
    }

    private async Task<HttpResponseMessage> DeliverAsync(PollRequest poll, PollState state, Uri connectorUri, List<KeyValuePair<string, string>> connectorQuery)
    {
        Pass pass;
        bool backlog;
        if (state.Low == null)
        {
            pass = await ListAsync(poll, state.Cursor, 0, int.MaxValue, state.Cap, id => true).ConfigureAwait(false);
            if (pass.Error != null) return pass.Error;
            if (pass.Requests == 0) return TooSlow(poll, "This check");
            backlog = !pass.Ended;
            if (pass.Ended)
            {
                // Everything above the cursor up to the highest id seen has been seen.
                state.Cursor = Id.Max(state.Cursor, pass.MaxListed);
            }
            else if (Ascending(pass.Pages) == true)
            {
                // Oldest first and more to come: delivered from the oldest up; the next check reads above the highest.
                Withhold(pass, true);
                state.Cursor = Id.Max(state.Cursor, pass.Items.Select(i => i.Id).Aggregate((Id)null, Id.Max));
            }
            else if (pass.Items.Count > 0)
            {
                // Newest first (or not known) and more to come: the top of the listing is delivered; the rest waits below it.
                Withhold(pass, false);
                state.Low = pass.Items.Select(i => i.Id).Aggregate((Id)null, Id.Min);
                state.High = pass.Items.Select(i => i.Id).Aggregate((Id)null, Id.Max);
                state.Position = pass.Position;
            }
        }
        else
        {
            Id low = state.Low;
            Id high = state.High;
            // Resume one place before where the last check stopped: that item must be one already delivered.
            long start = Math.Max(0, state.Position - 1);
            Id resumeAbove = start > 0 ? low : null;
            Func<Id, bool> below = id => id.CompareTo(low) < 0;
            pass = await ListAsync(poll, state.Cursor, start, int.MaxValue, state.Cap, below, resumeAbove).ConfigureAwait(false);
            if (pass.Error != null) return pass.Error;
            if (pass.Requests == 0) return TooSlow(poll, "This check");
            if (pass.Moved)
            {
                // Items above were deleted, so the resume place may skip some: read from the top instead.
                Log(LogLevel.Warning, Context.OperationId + ": the listing moved since the last check; reading it from the top.");
                int used = pass.Requests;
                pass = await ListAsync(poll, state.Cursor, 0, int.MaxValue, state.Cap, below, null).ConfigureAwait(false);
                if (pass.Error != null) return pass.Error;
                pass.Requests += used;
            }

            if (pass.Ended)
            {
                // Everything up to the drain's top is delivered; what arrived above it comes next.
                state.Cursor = Id.Max(state.Cursor, high);
                state.Low = null;
                backlog = pass.MaxListed != null && pass.MaxListed.CompareTo(high) > 0;
                if (pass.Items.Count == 0 && budget.RoomForAnother())
                {
                    // Nothing was left below: read what arrived above within this check, rather than answer 202.
                    return await DeliverAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
                }
            }
            else
            {
                Withhold(pass, false);
                state.Low = pass.Items.Select(i => i.Id).Aggregate(low, Id.Min);
                state.Position = pass.Position;
                backlog = true;
            }
        }

        state.Cap = Math.Max(state.Cap, pass.LargestPage);
        Log(LogLevel.Information, Context.OperationId + ": " + pass.Items.Count + " new item(s) from " + pass.Requests + " request(s) in " + budget.ElapsedMs + " ms" + (backlog ? "; more are owed, the next check continues." : "."));
        return Answer(poll, state, connectorUri, connectorQuery, pass, backlog);
    }

    // A pass that stopped before the end of the listing delivers only the items known to come before everything
    // unread: the last few (the lowest newest first, the highest oldest first) may be out of place by up to
    // ListDisorder, and a page longer than asked covers places it was not asked for. They wait for the next check,
    // which resumes where the first of them was read. At least one item is delivered, so that a check moves on.
    private static void Withhold(Pass pass, bool ascending)
    {
        List<Listed> left = LastOf(pass.Items, ascending, ListDisorder + pass.Overrun);
        foreach (Listed item in left)
        {
            pass.Items.Remove(item);
            pass.Position = Math.Min(pass.Position, item.Position);
        }
    }

    // The `count` items that come last in the walk's direction, but never all of them.
    private static List<Listed> LastOf(List<Listed> items, bool ascending, long count)
    {
        int take = (int)Math.Min(count, Math.Max(0, items.Count - 1));
        IEnumerable<Listed> ordered = ascending ? items.OrderByDescending(i => i.Id) : items.OrderBy(i => i.Id);
        return ordered.Take(take).ToList();
    }

    // The listing's order, told by whole pages: oldest first when the last page read holds higher ids than the first
    // (compared by their medians, so the order within a page, which the PBX may not keep, does not matter). From a
    // single page (a PBX so slow that one page fills the budget) only its first and last ids can tell; null: unknown.
    private static bool? Ascending(List<List<Id>> pages)
    {
        List<List<Id>> filled = pages.Where(p => p.Count > 0).ToList();
        if (filled.Count >= 2)
        {
            return Median(filled[filled.Count - 1]).CompareTo(Median(filled[0])) > 0;
        }

        if (filled.Count == 1 && filled[0].Count >= 2)
        {
            return filled[0][0].CompareTo(filled[0][filled[0].Count - 1]) < 0;
        }

        return null;
    }

    private static Id Median(List<Id> ids)
    {
        List<Id> sorted = ids.OrderBy(i => i).ToList();
        return sorted[sorted.Count / 2];
    }

    // Reads the listing of ids above `cursor` from place `start`, page after page, until its end, the budget,
    // MaxItemsPerCheck or `maxRequests`. Only an empty page, or one shorter than both the limit and the largest
    // page the PBX has returned, ends it (the PBX may cap pages silently). Keeps what `wanted` accepts, once.
    // With `resumeAbove`, the first page read must hold an id at or above it (already delivered), or the pass stops as Moved.
    private async Task<Pass> ListAsync(PollRequest poll, Id cursor, long start, int maxRequests, long knownCap, Func<Id, bool> wanted, Id resumeAbove = null)
    {
        var pass = new Pass { Position = start };
        while (true)
        {
            if (pass.Requests >= maxRequests || pass.Items.Count >= MaxItemsPerCheck || (pass.Requests > 0 && !budget.RoomForAnother()))
            {
                return pass;
            }

            PbxPage page;
            try
            {
                page = await ReadPageAsync(ListRequest(poll, cursor, poll.UserOffset + pass.Position), poll.Trigger.IdProperty, pass.Position, poll.PageSize, "the trigger's request " + (pass.Requests + 1)).ConfigureAwait(false);
            }
            catch (BudgetExceededException)
            {
                Log(LogLevel.Warning, Context.OperationId + ": a PBX request was still running at the time limit (" + BudgetMs + " ms) and was cancelled.");
                return pass;
            }

            pass.Requests++;
            if (page.Error != null)
            {
                string note = pass.Requests == 1 ? null : "Request " + pass.Requests + " of this check failed, so nothing was delivered and the trigger keeps its position: the next check tries again.";
                pass.Error = Explain(page.Error, note);
                return pass;
            }

            if (pass.Envelope == null) pass.Envelope = page.Envelope;
            if (resumeAbove != null && pass.Requests == 1 && page.Count > 0 && page.Ids().Aggregate((Id)null, Id.Max).CompareTo(resumeAbove) < 0)
            {
                pass.Moved = true;
                return pass;
            }

            bool unseen = false;
            var listed = new List<Id>();
            foreach (Listed item in page.Items)
            {
                // The PBX should list only ids above the cursor; anything else is dropped here as well.
                if (item.Id.CompareTo(cursor) <= 0 || !pass.Seen.Add(item.Id)) continue;
                unseen = true;
                listed.Add(item.Id);
                pass.MaxListed = Id.Max(pass.MaxListed, item.Id);
                if (wanted(item.Id)) pass.Items.Add(item);
            }

            pass.Pages.Add(listed);
            long count = page.Count;
            long capSoFar = Math.Max(knownCap, pass.LargestPage);
            pass.LargestPage = Math.Max(pass.LargestPage, count);
            // A page longer than asked (repeating an id, or running into the next page) is taken to cover only the places
            // asked for: the next page then repeats what it must, dropped as seen, and skips nothing.
            pass.Overrun += Math.Max(0, count - poll.PageSize);
            pass.Position += Math.Min(count, poll.PageSize);
            if (count == 0 || (count < poll.PageSize && count < capSoFar))
            {
                pass.Ended = true;
                return pass;
            }

            if (!unseen && pass.Requests > 1)
            {
                // The PBX answered a page seen already (it ignores offset?): more requests would repeat it.
                Log(LogLevel.Warning, Context.OperationId + ": request " + pass.Requests + " repeated items already fetched; stopped reading.");
                pass.Ended = true;
                return pass;
            }
        }
    }

    // 200 with the items newest first (the envelope of the first page), or 202; both with the next Location.
    private HttpResponseMessage Answer(PollRequest poll, PollState state, Uri connectorUri, List<KeyValuePair<string, string>> connectorQuery, Pass pass, bool pollAgainNow)
    {
        HttpResponseMessage response;
        if (pass != null && pass.Items.Count > 0)
        {
            var merged = new JArray();
            foreach (Listed entry in pass.Items.OrderByDescending(e => e.Id))
            {
                merged.Add(entry.Item);
            }

            JObject envelope = pass.Envelope ?? SuccessEnvelope();
            envelope["data"] = merged;
            response = JsonResponse(HttpStatusCode.OK, envelope);
        }
        else
        {
            response = new HttpResponseMessage(HttpStatusCode.Accepted);
        }

        response.Headers.Location = NextLocation(connectorUri, connectorQuery, poll.Trigger, state);
        if (pollAgainNow)
        {
            // "More data: poll again now"; correctness does not depend on the platform honouring it.
            response.Headers.TryAddWithoutValidation("Retry-After", "0");
        }

        return response;
    }

    private HttpResponseMessage TooSlow(PollRequest poll, string what)
    {
        Log(LogLevel.Warning, Context.OperationId + ": the PBX did not answer within " + BudgetMs + " ms.");
        return ErrorResponse(HttpStatusCode.GatewayTimeout, what + " timed out: the PBX did not answer within " + Seconds(BudgetMs) + " s. Nothing was delivered and the trigger keeps its position: the next check tries again.");
    }

    // The connector URL the platform called; without it (undocumented member) the request URL stands in.
    private Uri ConnectorUri()
    {
        Uri uri = Context.OriginalRequestUri;
        if (uri == null)
        {
            Log(LogLevel.Warning, Context.OperationId + ": no OriginalRequestUri; the Location is built from the PBX URL.");
            return Context.Request.RequestUri;
        }

        return uri;
    }

    // The state from the URL the platform called (the last Location) or, failing that, the request URL.
    private static PollState ReadState(List<KeyValuePair<string, string>> connectorQuery, List<KeyValuePair<string, string>> query, PollingTrigger trigger)
    {
        Func<string, string> value = name => QueryValue(connectorQuery, name) ?? QueryValue(query, name);
        var state = new PollState();
        string cursor = value(trigger.CursorParameter);
        if (cursor != null && cursor.Length > 0)
        {
            state.Cursor = Id.Parse(cursor);
            if (state.Cursor == null) return null;
        }

        state.Marked = value(StateMarker) != null;
        state.Scan = value(StateScan) == "1";
        string low = value(StateLow);
        if (low != null)
        {
            long position;
            state.Low = Id.Parse(low);
            state.High = Id.Parse(value(StateHigh));
            if (state.Low == null || state.High == null || state.Low.CompareTo(state.High) > 0 || !long.TryParse(value(StatePosition) ?? string.Empty, out position) || position < 0) return null;
            state.Position = position;
        }

        long cap;
        string capText = value(StateCap);
        if (capText != null && long.TryParse(capText, out cap) && cap > 0) state.Cap = cap;
        return state;
    }

    // The connector URL with the user's inputs as received, the cursor advanced and the state written.
    private static Uri NextLocation(Uri connectorUri, List<KeyValuePair<string, string>> connectorQuery, PollingTrigger trigger, PollState state)
    {
        var parts = connectorQuery.Where(p => !IsStateParameter(p.Key) && !IsNamed(p.Key, trigger.CursorParameter)).Select(p => p.Value == null ? p.Key : p.Key + "=" + p.Value).ToList();
        parts.Add(trigger.CursorParameter + "=" + state.Cursor);
        parts.Add(StateMarker + "=1");
        if (state.Low != null)
        {
            parts.Add(StateLow + "=" + state.Low);
            parts.Add(StateHigh + "=" + state.High);
            parts.Add(StatePosition + "=" + state.Position);
        }

        if (state.Cap > 0) parts.Add(StateCap + "=" + state.Cap);
        if (state.Scan) parts.Add(StateScan + "=1");
        var builder = new UriBuilder(connectorUri) { Query = string.Join("&", parts) };
        return builder.Uri;
    }

    private static bool IsStateParameter(string rawName)
    {
        return Uri.UnescapeDataString(rawName.Replace('+', ' ')).StartsWith(StatePrefix, StringComparison.Ordinal);
    }

    private static bool IsNamed(string rawName, string name)
    {
        return Uri.UnescapeDataString(rawName.Replace('+', ' ')) == name;
    }

    // The PBX request: the user's inputs as received, then the cursor, the page size and the place.
    private HttpRequestMessage ListRequest(PollRequest poll, Id cursor, long offset)
    {
        var parts = poll.PbxQuery.Select(p => p.Value == null ? p.Key : p.Key + "=" + p.Value).ToList();
        parts.Add(poll.Trigger.CursorParameter + "=" + cursor);
        parts.Add("limit=" + poll.PageSize);
        if (offset > 0) parts.Add("offset=" + offset);
        var builder = new UriBuilder(poll.PbxUri) { Query = string.Join("&", parts) };
        return Get(builder.Uri);
    }

    // A GET to the PBX with the request's headers (the key, normalised).
    private HttpRequestMessage Get(Uri uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
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
    private static readonly HashSet<string> PagingParameters = new HashSet<string> { "limit", "offset", "snapshot_id", "after_id" };

    // One page of a list, newest first. The PBX pages by offset, and new items (newest first) push the list down while
    // a flow pages through it, so the pages are cut by id, not by place: each page is the Page Size highest ids not yet
    // delivered (newest first), or the lowest (oldest first), whatever order the PBX gives them within its pages. The
    // next link carries the cut: snapshot_id (newest first: the highest id when the walk began; higher ids arrived later
    // and are left out) and after_id (every id from it upward, newest first, or up to it, oldest first, is delivered),
    // plus offset, a place in the listing at or before the first item not yet delivered, so that nothing is skipped:
    // what is read again is recognised by its id and left out. The first page learns the order from the second PBX page
    // (below or above the first); a snapshot means newest first, an After ID alone oldest first.
    private async Task<HttpResponseMessage> ListPageAsync(ListRoute route)
    {
        List<KeyValuePair<string, string>> query = ParseQuery(Context.Request.RequestUri.Query);
        string problem;
        long pageSize = ListNumber(query, "limit", 1, MaxListPageSize, DefaultListPageSize, out problem);
        long offset = problem == null ? ListNumber(query, "offset", 0, long.MaxValue, 0, out problem) : 0;
        // 0 is "none yet", so that a Do until loop can start from variables set to 0.
        Id snapshot = problem == null ? ListId(query, "snapshot_id", out problem) : Id.Zero;
        Id after = problem == null ? ListId(query, "after_id", out problem) : Id.Zero;
        if (problem != null)
        {
            Log(LogLevel.Warning, Context.OperationId + ": " + problem);
            return ErrorResponse((HttpStatusCode)422, problem);
        }

        List<KeyValuePair<string, string>> filters = query.Where(pair => !IsParameter(pair, route.CursorParameter) && !PagingParameters.Contains(ParameterName(pair))).ToList();
        bool first = snapshot.IsZero && after.IsZero;
        // A few items more than the page, so that the page's last items are known to come before everything unread.
        long ask = Math.Min(pageSize + ListDisorder, MaxListPageSize);
        long enough = Math.Min(pageSize, ask - ListDisorder);
        var pages = new List<List<Id>>();
        var read = new Dictionary<Id, Listed>();
        long position = offset;
        long overrun = 0;
        bool ended = false;
        try
        {
            while (true)
            {
                PbxPage page = await ReadPageAsync(CollectionRequest(route, filters, ask, position), route.IdProperty, position, ask, "the list page").ConfigureAwait(false);
                if (page.Error != null)
                {
                    return Explain(page.Error, null);
                }

                pages.Add(page.Ids());
                foreach (Listed item in page.Items)
                {
                    if (!read.ContainsKey(item.Id)) read[item.Id] = item;
                }

                // A page longer than asked is taken to cover only the places asked for (see ListAsync).
                overrun += Math.Max(0, page.Count - ask);
                position += Math.Min(page.Count, ask);
                if (page.Count < ask)
                {
                    // A page shorter than asked is the end (the PBX's cap is assumed to be at least MaxListPageSize).
                    ended = true;
                    break;
                }

                if (pages.Count >= MaxListReads || !budget.RoomForAnother())
                {
                    break;
                }

                bool ascending = first ? Ascending(pages) == true : snapshot.IsZero;
                Id pin = first && !ascending ? read.Keys.Aggregate((Id)null, Id.Max) : snapshot;
                if (!(first && pages.Count == 1) && CutPage(read.Values, ascending, pin, after, ListDisorder + overrun, pageSize).Page.Count >= enough)
                {
                    break;
                }
            }
        }
        catch (BudgetExceededException)
        {
            if (pages.Count == 0)
            {
                return ListTimedOut();
            }
        }

        bool oldestFirst = first ? !ended && Ascending(pages) == true : snapshot.IsZero;
        Id snapshotId = oldestFirst ? null : (first ? read.Keys.Aggregate((Id)null, Id.Max) : snapshot);
        ListCut cut = CutPage(read.Values, oldestFirst, snapshotId, after, ended ? 0 : ListDisorder + overrun, pageSize);
        Id lastId = cut.Page.Count == 0 ? after : cut.Page.Select(i => i.Id).Aggregate((Id)null, oldestFirst ? (Func<Id, Id, Id>)Id.Max : (Func<Id, Id, Id>)Id.Min);
        long nextOffset = cut.Left.Count == 0 ? position : Math.Min(position, cut.Left.Min(i => i.Position));
        bool last = ended && cut.Left.Count == 0;

        // The platform's paging shape: the items in value, the next page in nextLink (what Pagination follows and
        // merges), and the values a Do until loop passes back. The PBX's envelope says nothing a page needs.
        var answer = new JObject { { "value", new JArray(cut.Page.OrderByDescending(i => i.Id).Select(i => i.Item)) } };
        if (!last)
        {
            answer["nextLink"] = NextLink(filters, pageSize, nextOffset, snapshotId, lastId).AbsoluteUri;
            answer["nextOffset"] = nextOffset;
        }

        if (snapshotId != null)
        {
            answer["snapshotId"] = snapshotId.ToJson();
        }

        if (!last && !lastId.IsZero)
        {
            answer["lastId"] = lastId.ToJson();
        }

        int reread = read.Count - cut.Page.Count - cut.Left.Count;
        Log(LogLevel.Information, Context.OperationId + ": " + cut.Page.Count + " item(s) from offset " + offset + " in " + pages.Count + " PBX request(s)" + (reread > 0 ? " (" + reread + " delivered before or added after the first page, left out)" : string.Empty) + (last ? "; last page." : "; more remain."));
        return JsonResponse(HttpStatusCode.OK, answer);
    }

    private sealed class ListCut
    {
        public List<Listed> Page;
        public List<Listed> Left;
    }

    // The items read that are not yet delivered, in the walk's direction (newest first: at or below the snapshot and
    // below after_id; oldest first: above after_id). The last `withhold` of them may come after an item not read yet,
    // so they wait; the page is the first pageSize of the rest (at least one, so that a walk moves on).
    private static ListCut CutPage(IEnumerable<Listed> read, bool oldestFirst, Id snapshot, Id after, long withhold, long pageSize)
    {
        List<Listed> owed = oldestFirst
            ? read.Where(i => after.IsZero || i.Id.CompareTo(after) > 0).OrderBy(i => i.Id).ToList()
            : read.Where(i => (snapshot == null || snapshot.IsZero || i.Id.CompareTo(snapshot) <= 0) && (after.IsZero || i.Id.CompareTo(after) < 0)).OrderByDescending(i => i.Id).ToList();
        long certain = Math.Max(Math.Min(owed.Count, 1), owed.Count - withhold);
        List<Listed> page = owed.Take((int)Math.Min(certain, pageSize)).ToList();
        return new ListCut { Page = page, Left = owed.Skip(page.Count).ToList() };
    }

    // GetLostCalls (1.0) is forwarded as it was, but for two things. When the flow set a Page Size, a full page gets a
    // nextLink to the following offset: the places asked for, so a page longer than asked skips nothing (without a Page
    // Size the PBX's default is unknown, so no link). And an entry that repeats another of the same page exactly is
    // answered once: lost callers have no id, so a lost call is its whole entry (caller, destination, time of the last
    // contact, attempts, name). A page longer than asked may repeat one (a join that writes a row twice); the same
    // caller lost again at another time differs in its time and stays.
    private async Task<HttpResponseMessage> LostCallsPageAsync()
    {
        PbxAnswer answer = await SendToPbxAsync(Context.Request).ConfigureAwait(false);
        if (IsNoItems(answer))
        {
            Log(LogLevel.Information, Context.OperationId + ": the PBX found no items (404); answered as an empty page.");
            JObject empty = SuccessEnvelope();
            empty["data"] = new JArray();
            return JsonResponse(HttpStatusCode.OK, empty);
        }

        if (!answer.Succeeded)
        {
            return Explain(answer, null);
        }

        List<KeyValuePair<string, string>> query = ParseQuery(Context.Request.RequestUri.Query);
        string problem;
        long pageSize = ListNumber(query, "limit", 1, long.MaxValue, 0, out problem);
        long offset = problem == null ? ListNumber(query, "offset", 0, long.MaxValue, 0, out problem) : 0;
        JObject envelope = ParseObject(answer.Text);
        JArray items = envelope == null ? null : envelope["data"] as JArray;
        if (items == null)
        {
            return Relay(answer, answer.Status);
        }

        int entries = items.Count;
        int repeats = DropRepeatedEntries(items);
        if (repeats > 0)
        {
            Log(LogLevel.Warning, Context.OperationId + ": the PBX wrote " + repeats + " entr" + (repeats == 1 ? "y" : "ies") + " of the page twice (" + entries + " entries for " + (pageSize > 0 ? pageSize + " places" : "a page") + "); each is answered once.");
        }

        bool paged = problem == null && pageSize > 0;
        if (!paged && repeats == 0)
        {
            return Relay(answer, answer.Status);
        }

        envelope.Remove("nextLink");
        if (paged && entries >= pageSize)
        {
            // The next offset moves by the page size asked, not by the items counted: a page longer than asked skips nothing.
            List<KeyValuePair<string, string>> filters = query.Where(pair => !PagingParameters.Contains(ParameterName(pair))).ToList();
            envelope["nextLink"] = NextLink(filters, pageSize, offset + pageSize, null, Id.Zero).AbsoluteUri;
        }

        return JsonResponse(answer.Status, envelope);
    }

    // Removes each entry of a page that repeats an earlier entry of it exactly (the same fields, values and order, as a
    // server writes a row twice); returns how many were removed.
    private static int DropRepeatedEntries(JArray items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int dropped = 0;
        foreach (JToken item in items.ToList())
        {
            if (!seen.Add(item.ToString(Formatting.None)))
            {
                item.Remove();
                dropped++;
            }
        }

        return dropped;
    }

    // A dropdown: pages of the largest size until the list ends, MaxChoices or the budget; sorted by title.
    private async Task<HttpResponseMessage> ListChoicesAsync(ListRoute route)
    {
        var choices = new Dictionary<Id, JObject>();
        bool complete = false;
        try
        {
            // Offsets move by the page size asked; an id read twice (a page longer than asked) is offered once.
            for (long offset = 0; choices.Count < MaxChoices; offset += MaxListPageSize)
            {
                if (offset > 0 && !budget.RoomForAnother())
                {
                    break;
                }

                PbxPage page = await ReadPageAsync(CollectionRequest(route, new List<KeyValuePair<string, string>>(), MaxListPageSize, offset), route.IdProperty, offset, MaxListPageSize, "the list").ConfigureAwait(false);
                if (page.Error != null)
                {
                    return Explain(page.Error, null);
                }

                foreach (Listed item in page.Items)
                {
                    if (!choices.ContainsKey(item.Id) && choices.Count < MaxChoices)
                    {
                        choices[item.Id] = new JObject { { "id", item.Id.ToJson() }, { "title", ChoiceTitle(item.Item, route, item.Id) } };
                    }
                }

                if (page.Count < MaxListPageSize)
                {
                    complete = true;
                    break;
                }
            }
        }
        catch (BudgetExceededException)
        {
            if (choices.Count == 0)
            {
                return ListTimedOut();
            }
        }

        if (!complete)
        {
            Log(LogLevel.Warning, Context.OperationId + ": the dropdown offers the first " + choices.Count + " items; type an ID for any other.");
        }

        JObject envelope = SuccessEnvelope();
        envelope["data"] = new JArray(choices.OrderBy(c => (string)c.Value["title"], StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.Key).Select(c => c.Value));
        return JsonResponse(HttpStatusCode.OK, envelope);
    }

    private static string ChoiceTitle(JToken item, ListRoute route, Id id)
    {
        var fields = item as JObject;
        string name = string.Join(" ", route.TitleFields.Select(f => TextOf(fields, f)).Where(v => v.Length > 0));
        string detail = route.DetailField == null ? string.Empty : TextOf(fields, route.DetailField);
        string title = name.Length > 0 ? name : "ID " + id;
        if (detail.Length > 0) title += " (" + detail + ")";
        Id archived = fields == null ? null : Id.FromToken(fields["archived"]);
        if (archived != null && archived.ToString() == "1") title += " (archived)";
        return title;
    }

    private static string TextOf(JObject fields, string name)
    {
        JToken value = fields == null ? null : fields[name];
        return value == null || value.Type == JTokenType.Null ? string.Empty : value.ToString().Trim();
    }

    // .../list/<collection> (or /choices/<collection>) -> .../trigger/<collection>, the filters as received,
    // then the cursor (0: the whole list), limit and offset.
    private HttpRequestMessage CollectionRequest(ListRoute route, List<KeyValuePair<string, string>> filters, long limit, long offset)
    {
        var builder = new UriBuilder(Context.Request.RequestUri);
        string path = builder.Path.TrimEnd('/');
        for (int segment = 0; segment < 2 && path.LastIndexOf('/') >= 0; segment++)
        {
            path = path.Substring(0, path.LastIndexOf('/'));
        }

        builder.Path = path + "/trigger/" + route.Collection;
        var parts = filters.Select(pair => pair.Value == null ? pair.Key : pair.Key + "=" + pair.Value).ToList();
        parts.Add(route.CursorParameter + "=0");
        parts.Add("limit=" + limit);
        parts.Add("offset=" + offset);
        builder.Query = string.Join("&", parts);
        return Get(builder.Uri);
    }

    // The same operation on the connector with the filters kept and the offset moved on.
    private Uri NextLink(List<KeyValuePair<string, string>> filters, long pageSize, long offset, Id snapshot, Id after)
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
        if (snapshot != null && !snapshot.IsZero)
        {
            parts.Add("snapshot_id=" + snapshot);
        }

        if (!after.IsZero)
        {
            parts.Add("after_id=" + after);
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
            problem = InputTitle(name) + " (" + name + ") must be a whole number" + (max == long.MaxValue ? " of at least " + min : " from " + min + " to " + max) + ", not \"" + text + "\". Correct the input or leave it empty.";
            return fallback;
        }

        return value;
    }

    // An id input of any length; 0 when absent or empty; a message naming the input otherwise.
    private static Id ListId(List<KeyValuePair<string, string>> query, string name, out string problem)
    {
        problem = null;
        string text = QueryValue(query, name);
        if (string.IsNullOrEmpty(text))
        {
            return Id.Zero;
        }

        Id id = Id.Parse(text);
        if (id == null)
        {
            problem = InputTitle(name) + " (" + name + ") must be a whole number of at least 0, not \"" + text + "\". Pass the value the previous page answered, or leave it empty.";
            return Id.Zero;
        }

        return id;
    }

    private static string InputTitle(string name)
    {
        return name == "limit" ? "Page Size" : name == "offset" ? "Offset" : name == "after_id" ? "After ID" : "Snapshot ID";
    }

    private static string ParameterName(KeyValuePair<string, string> pair)
    {
        return Uri.UnescapeDataString(pair.Key.Replace('+', ' '));
    }

    private static bool IsParameter(KeyValuePair<string, string> pair, string name)
    {
        return ParameterName(pair) == name;
    }

    private HttpResponseMessage ListTimedOut()
    {
        Log(LogLevel.Error, Context.OperationId + ": the PBX did not answer within " + BudgetMs + " ms.");
        return ErrorResponse(HttpStatusCode.GatewayTimeout, "The PBX did not answer in time (the connector may wait " + Seconds(BudgetMs) + " s). Try again; a smaller Page Size helps when the PBX is slow.");
    }

    // ---- Recording files --------------------------------------------------------------------------
    //
    // GetRecordingFile (connector path .../call_records/{id}/file, which the PBX does not have) reads the recording
    // (GET .../call_records/{id}) and fetches the audio its recordingURL points to; it answers the file's bytes in the
    // content type the file host gave. Where recordingURL points, and what it asks for, is unconfirmed: a link on the
    // PBX's own host that needs the API key, or a pre-signed link elsewhere that needs none. So the key goes only to
    // the host Context.Request is addressed to (the PBX), and only over HTTPS; any other link is fetched without it.
    // Redirects are followed here, one hop at a time, the key decided anew for each URL, so a redirect never carries
    // it to another host. (Whether the platform's SendAsync follows redirects by itself is undocumented: .NET's
    // HttpClient does and drops Authorization when it does; either way no hop of ours sends the key elsewhere.)
    // Every hop goes through SendToPbxAsync like any PBX request (raced against the budget, read whole, at most
    // MaxRecordingBytes), and only the file's content type passes on from whatever host answered.

    // The largest file answered: the connector's own cap (the platform documents no response-size limit for custom
    // code, unconfirmed), and a file must arrive within the budget as well.
    private const long MaxRecordingBytes = 10L * 1024 * 1024;

    // Redirects followed from a recording's link before giving up (a loop or a chain of storage hops).
    private const int MaxFileRedirects = 5;

    // Media types that are pages or data, not audio: a file host answering 200 with one of these sent an error page.
    private static readonly Regex NotAFile = new Regex(@"^(text/|application/(json|xml|problem\+json|xhtml\+xml)$|application/[^;]*\+(json|xml)$)", RegexOptions.IgnoreCase);

    private async Task<HttpResponseMessage> RecordingFileAsync()
    {
        var readUri = new UriBuilder(Context.Request.RequestUri) { Query = string.Empty, Fragment = string.Empty };
        string path = readUri.Path.TrimEnd('/');
        readUri.Path = path.Substring(0, Math.Max(0, path.LastIndexOf('/')));
        string recordId = Uri.UnescapeDataString(readUri.Path.Substring(readUri.Path.LastIndexOf('/') + 1));
        PbxAnswer read = await SendToPbxAsync(Get(readUri.Uri)).ConfigureAwait(false);
        if (!read.Succeeded)
        {
            // A read by ID: a 404 is a recording that does not exist, with the advice for IDs.
            return Explain(read, null);
        }

        JObject body = ParseObject(read.Text);
        var data = body == null ? null : body["data"] as JObject;
        if (data == null)
        {
            string what = body == null ? "a body that is not a JSON object (" + Excerpt(WithoutKey(read.Text)) + ")" : "data that is not a recording (" + DescribeType(body["data"]) + ")";
            throw new MalformedAnswerException("The PBX answered the read of recording " + recordId + " with " + what + ".");
        }

        string link = TextOf(data, "recordingURL");
        if (link.Length == 0)
        {
            Log(LogLevel.Warning, Context.OperationId + ": recording " + recordId + " has no recordingURL yet.");
            return ErrorResponse(HttpStatusCode.NotFound, "Recording " + recordId + " has no audio file yet (its Recording File URL is empty): the PBX may still be preparing it. Try again in a few minutes, or start the flow from the trigger that says a call recording is ready.");
        }

        Uri current;
        // A path alone (unconfirmed whether the PBX ever gives one) is on the PBX's own host.
        if (link.StartsWith("/") && !link.StartsWith("//"))
        {
            current = new Uri(Context.Request.RequestUri, link);
        }
        else if (!Uri.TryCreate(link, UriKind.Absolute, out current))
        {
            current = null;
        }

        if (current == null || (current.Scheme != Uri.UriSchemeHttps && current.Scheme != Uri.UriSchemeHttp))
        {
            Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + " has a recordingURL that is not an http(s) URL.");
            return ErrorResponse(HttpStatusCode.BadGateway, "Recording " + recordId + " has a Recording File URL that is not an http(s) link (\"" + Excerpt(WithoutKey(link)) + "\"), so the connector cannot download it. Ask " + BrandOperator + " about the recording.");
        }

        for (int hop = 0; ; hop++)
        {
            if (hop > 0 && !budget.RoomForAnother())
            {
                return FileTooSlow(recordId, current);
            }

            bool withKey = IsPbxHost(current);
            PbxAnswer file;
            try
            {
                file = await SendToPbxAsync(FileRequest(current, withKey), MaxRecordingBytes).ConfigureAwait(false);
            }
            catch (BudgetExceededException)
            {
                return FileTooSlow(recordId, current);
            }
            catch (HttpRequestException e)
            {
                Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(current) + " could not be reached: " + e.Message);
                return ErrorResponse(HttpStatusCode.BadGateway, "The audio file of recording " + recordId + " could not be downloaded: its link (" + Shown(current) + ") could not be reached (" + e.Message + "). Try again later.");
            }

            Log(LogLevel.Information, Context.OperationId + ": recording " + recordId + ", hop " + (hop + 1) + ": " + Shown(current) + (withKey ? " (with the API key)" : " (without the API key)") + " answered " + file.Code + ".");
            if (file.Reached != null && file.Reached != current && !IsPbxHost(file.Reached))
            {
                // The platform followed a redirect itself (undocumented): .NET drops Authorization when it does.
                Log(LogLevel.Warning, Context.OperationId + ": the platform followed a redirect from " + Shown(current) + " to " + Shown(file.Reached) + " by itself.");
            }

            if (file.Code >= 300 && file.Code < 400 && file.Code != 304)
            {
                Uri next = file.Location == null ? null : file.Location.IsAbsoluteUri ? file.Location : new Uri(current, file.Location);
                if (next == null || (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp))
                {
                    Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(current) + " redirected (" + file.Code + ") without a usable Location.");
                    return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " (" + Shown(current) + ") answered a redirect (HTTP " + file.Code + ") without an http(s) Location to follow. Try again later; if it persists, ask " + BrandOperator + " about the recording links.");
                }

                if (hop + 1 > MaxFileRedirects)
                {
                    Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": more than " + MaxFileRedirects + " redirects.");
                    return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " redirected more than " + MaxFileRedirects + " times (last to " + Shown(next) + "), so the connector stopped following it. Ask " + BrandOperator + " about the recording links.");
                }

                current = next;
                continue;
            }

            return file.Succeeded ? FileAnswer(file, current, recordId, hop) : FileRefused(file, current, withKey, recordId);
        }
    }

    // One hop of a recording's link: the key only where IsPbxHost allows it, decided for this URL alone.
    private HttpRequestMessage FileRequest(Uri link, bool withKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, link);
        request.Headers.TryAddWithoutValidation("Accept", "audio/*, application/octet-stream;q=0.9, */*;q=0.5");
        if (withKey)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        }

        return request;
    }

    // The PBX's own host (the one Context.Request is addressed to) over HTTPS: the only place the API key goes.
    private bool IsPbxHost(Uri link)
    {
        Uri pbx = Context.Request.RequestUri;
        return pbx.Scheme == Uri.UriSchemeHttps && link.Scheme == Uri.UriSchemeHttps && link.UserInfo.Length == 0
            && string.Equals(link.Host, pbx.Host, StringComparison.OrdinalIgnoreCase) && link.Port == pbx.Port;
    }

    // A link as messages and logs show it: scheme, host and path (a pre-signed link's query holds its signature).
    private static string Shown(Uri link)
    {
        return link.Scheme + "://" + link.Authority + link.AbsolutePath;
    }

    private HttpResponseMessage FileAnswer(PbxAnswer file, Uri from, string recordId, int redirects)
    {
        if (file.Bytes == null)
        {
            // Declared too large (nothing read), or more bytes came than the cap whatever was declared.
            return FileTooLarge(recordId, file.Length != null && file.Length.Value > MaxRecordingBytes ? file.Length : null);
        }

        MediaTypeHeaderValue type = file.ContentType;
        if (type != null && type.MediaType != null && NotAFile.IsMatch(type.MediaType))
        {
            Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(from) + " answered " + type.MediaType + " instead of audio.");
            return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " (" + Shown(from) + ") answered a page (" + type.MediaType + ") instead of an audio file: \"" + Excerpt(WithoutKey(file.Text)) + "\". Try again later; if it persists, ask " + BrandOperator + " about the recording.");
        }

        if (file.Bytes.Length == 0)
        {
            Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(from) + " answered an empty file.");
            return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " (" + Shown(from) + ") answered an empty file. Try again later; the PBX may still be writing it.");
        }

        var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(file.Bytes) };
        answer.Content.Headers.ContentType = type ?? new MediaTypeHeaderValue("application/octet-stream");
        string name = from.Segments.Length > 0 ? Uri.UnescapeDataString(from.Segments[from.Segments.Length - 1]) : string.Empty;
        name = Regex.Replace(name, @"[^A-Za-z0-9._-]", "_");
        answer.Content.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = "\"" + (name.Contains(".") ? name : "recording-" + recordId) + "\"" };
        Log(LogLevel.Information, Context.OperationId + ": recording " + recordId + ": " + file.Bytes.Length + " bytes of " + answer.Content.Headers.ContentType.MediaType + " after " + redirects + " redirect(s), in " + budget.ElapsedMs + " ms.");
        return answer;
    }

    // The file link refused: on the PBX's host the PBX's own explanation (key, IP, rate limit...); elsewhere what the
    // link answered, without the key. A missing file stays 404 and a rate limit 429; any other failure is the link's (502).
    private HttpResponseMessage FileRefused(PbxAnswer file, Uri from, bool withKey, string recordId)
    {
        if (withKey)
        {
            return Explain(file, "This was the download of the audio file of recording " + recordId + " from " + Shown(from) + ".");
        }

        int status = file.Code;
        string advice;
        HttpStatusCode answer = HttpStatusCode.BadGateway;
        if (status == 404 || status == 410)
        {
            answer = HttpStatusCode.NotFound;
            advice = "The file is not (or no longer) at its link.";
        }
        else if (status == 429)
        {
            answer = (HttpStatusCode)429;
            int? wait = file.RetryAfterSeconds;
            advice = "The file host's rate limit was reached: " + (wait != null ? "wait " + wait.Value + " seconds before trying again." : "wait a minute before trying again.");
        }
        else if (status == 401 || status == 403)
        {
            advice = "A pre-signed link may have expired, or the host wants credentials the connector does not send there: the API key goes only to " + Context.Request.RequestUri.Host + " over HTTPS. Run the action again (it reads a fresh link); if it persists, download the file from the " + BrandPortal + ".";
        }
        else
        {
            advice = status >= 500 ? "Try again later." : "Try again later; if it persists, ask " + BrandOperator + " about the recording links.";
        }

        Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(from) + " (without the API key) answered " + status + ".");
        HttpResponseMessage error = ErrorResponse(answer, "The link of recording " + recordId + " (" + Shown(from) + ", fetched without the API key) answered HTTP " + status + ": \"" + Excerpt(WithoutKey(file.Text)) + "\". " + advice);
        KeepRetryAfter(file, error);
        return error;
    }

    // `size` is the Content-Length the host declared, or null when the bytes ran past the cap before the end.
    private HttpResponseMessage FileTooLarge(string recordId, long? size)
    {
        // A size that rounds to the cap itself says no more than "more than".
        bool shown = size != null && Megabytes(size.Value) != Megabytes(MaxRecordingBytes);
        string how = shown ? "is " + Megabytes(size.Value) + " MB, more than" : "is more than";
        Log(LogLevel.Warning, Context.OperationId + ": recording " + recordId + " " + (size == null ? "runs past " + MaxRecordingBytes + " bytes" : "is " + size.Value + " bytes, more than " + MaxRecordingBytes) + ".");
        return ErrorResponse((HttpStatusCode)413, "The audio file of recording " + recordId + " " + how + " the " + Megabytes(MaxRecordingBytes) + " MB this action hands over (the connector's own limit; the platform's limit for custom code is not documented). Download it another way: the Recording File URL of \"Get call recording by ID\" with an HTTP action (send the API key only if the link is on " + Context.Request.RequestUri.Host + "), or from the " + BrandPortal + ".");
    }

    private HttpResponseMessage FileTooSlow(string recordId, Uri from)
    {
        Log(LogLevel.Warning, Context.OperationId + ": recording " + recordId + ": " + Shown(from) + " did not deliver within " + BudgetMs + " ms.");
        return ErrorResponse(HttpStatusCode.GatewayTimeout, "The audio file of recording " + recordId + " did not arrive within the connector's time limit (" + Seconds(BudgetMs) + " s, reading the recording included): its host (" + from.Host + ") is slow or the file is large. Try again later (the action's retry policy does); if it keeps failing, download it another way: the Recording File URL of \"Get call recording by ID\" with an HTTP action, or from the " + BrandPortal + ".");
    }

    private static string Megabytes(long bytes)
    {
        // Rounded to tenths, whatever the culture (10 MB is "10", 12.5 MB "12.5").
        long tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        return (tenths / 10) + (tenths % 10 == 0 ? string.Empty : "." + (tenths % 10));
    }


    // ---- Errors -----------------------------------------------------------------------------------

    // Keeps the PBX's status and envelope; replaces the message with one a flow author can act on, quoting the PBX's
    // own words. A non-JSON page becomes an envelope with a short excerpt. A redirect is not followed (502), and a Dial
    // or registration the PBX may have acted on answers OutcomeUnknown rather than a status the platform resends.
    private HttpResponseMessage Explain(PbxAnswer answer, string note)
    {
        int status = answer.Code;
        JObject envelope = ParseObject(answer.Text);
        string pbxSaid;
        if (envelope != null)
        {
            JToken message = envelope["message"];
            pbxSaid = message != null && message.Type == JTokenType.String ? ((string)message).Trim() : string.Empty;
            if (envelope["status"] == null) envelope["status"] = "error";
            if (envelope["statusCode"] == null) envelope["statusCode"] = status;
            pbxSaid = pbxSaid.Length == 0 ? string.Empty : " The PBX said: \"" + Excerpt(WithoutKey(pbxSaid)) + "\".";
        }
        else
        {
            envelope = new JObject { { "version", EnvelopeVersion }, { "status", "error" }, { "statusCode", status } };
            pbxSaid = answer.Text.Trim().Length == 0 ? " The PBX answered with an empty body." : " The PBX answered with a page that is not JSON: \"" + Excerpt(WithoutKey(answer.Text)) + "\".";
        }

        HttpStatusCode answered = answer.Status;
        string advice = Advice(answer, pbxSaid);
        bool unsure = status < 400 || status == 408 || status >= 500;
        if (IsNotIdempotent() && unsure)
        {
            answered = OutcomeUnknown;
            advice += " " + MayHaveHappened(Context.OperationId);
        }
        else if (status < 400)
        {
            answered = HttpStatusCode.BadGateway;
        }

        if (answered != answer.Status) envelope["statusCode"] = (int)answered;
        envelope["message"] = advice + pbxSaid + (note == null ? string.Empty : " " + note);
        Log(LogLevel.Error, Context.OperationId + ": the PBX answered " + status + "." + pbxSaid);
        HttpResponseMessage explained = Failure(answered, envelope);
        KeepRetryAfter(answer, explained);
        return explained;
    }

    private string Advice(PbxAnswer answer, string pbxSaid)
    {
        int status = answer.Code;
        if (status < 400)
        {
            return "The PBX answered HTTP " + status + " (a redirect) instead of an answer; the connector does not follow redirects, so nothing was read. Check that the PBX's address (" + BrandHost + ") is right.";
        }

        if (status == 401)
        {
            return "The PBX rejected the API key (HTTP 401). " + KeyAdvice;
        }

        if (status == 429)
        {
            int? wait = answer.RetryAfterSeconds;
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

        if (kind == RequestKind.Registration && status >= 400 && status < 500)
        {
            if (Regex.IsMatch(pbxSaid, @"\b20\b|limit|maximum|too many|exceed", RegexOptions.IgnoreCase))
            {
                return "The trigger could not subscribe: all 20 webhooks of the account are in use (HTTP " + status + "). " + WebhookLimitAdvice;
            }

            return "The trigger could not subscribe (HTTP " + status + "). If the account already has 20 webhooks, that is why. " + WebhookLimitAdvice;
        }

        if (status == 404)
        {
            if (kind == RequestKind.List)
            {
                return "The PBX does not know this list (HTTP 404): its answer is not the \"no items found\" of an empty list, so the PBX's route may have changed. Try again later; if it persists, tell " + BrandOperator + ".";
            }

            return kind == RequestKind.Action
                ? "The PBX found nothing to act on (HTTP 404). Check the employee ID and the number."
                : "The PBX has no item with this ID (HTTP 404). Check the ID (a dropdown of names helps pick one).";
        }

        if (status == 422)
        {
            return "The PBX did not accept the values sent (HTTP 422). Check the operation's parameters.";
        }

        if (status >= 500)
        {
            return "The PBX failed to answer (HTTP " + status + "). Try again later" + (kind == RequestKind.List ? "; triggers retry on their own." : ".");
        }

        return "The PBX answered with an error (HTTP " + status + ").";
    }

    // Seconds from a Retry-After header: a number of seconds or an HTTP date.
    private static int? RetryAfterSeconds(RetryConditionHeaderValue retryAfter, string raw)
    {
        int seconds;
        if (retryAfter == null)
        {
            return raw != null && int.TryParse(raw.Split(',')[0].Trim(), out seconds) ? seconds : (int?)null;
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

    // Tags, scripts and styles stripped, whitespace collapsed, cut to ExcerptLength characters. Callers remove the key
    // first, so that no part of it survives the cut.
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

        return Cut(plain, ExcerptLength);
    }

    private static string Cut(string text, int length)
    {
        return text.Length <= length ? text : text.Substring(0, length).TrimEnd() + "...";
    }

    private HttpResponseMessage ErrorResponse(HttpStatusCode status, string message)
    {
        var envelope = new JObject
        {
            { "version", EnvelopeVersion },
            { "status", "error" },
            { "statusCode", (int)status },
            { "message", message },
        };
        return Failure(status, envelope);
    }

    // Every error answer of the script: the key is removed from the whole text, since an envelope may quote the PBX.
    private HttpResponseMessage Failure(HttpStatusCode status, JObject envelope)
    {
        return new HttpResponseMessage(status) { Content = CreateJsonContent(WithoutKey(envelope.ToString(Formatting.None))) };
    }

    // ---- Plumbing ---------------------------------------------------------------------------------

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

    private static string DescribeType(JToken token)
    {
        if (token == null)
        {
            return "missing";
        }

        string type = token.Type.ToString().ToLowerInvariant();
        return ("aeiou".IndexOf(type[0]) >= 0 ? "an " : "a ") + type;
    }

    private static JObject SuccessEnvelope()
    {
        return new JObject { { "version", EnvelopeVersion }, { "status", "success" }, { "statusCode", 200 }, { "message", string.Empty } };
    }

    private static HttpResponseMessage JsonResponse(HttpStatusCode status, JObject body)
    {
        return new HttpResponseMessage(status) { Content = CreateJsonContent(body.ToString(Formatting.None)) };
    }

    // A PBX that echoes the key must not make it appear in an answer or a log: the key as sent (so also in
    // "Bearer <key>"), percent-encoded (keys with + / =, either case of hex digits) and JSON-escaped (\/ as PHP writes
    // it, \u002B), each character in any of these forms, so a half-encoded URL or a JSON text quoted as it is (cut off,
    // or inside a page) is caught too. Applied to whole texts, before any excerpt is cut, so that no part survives a cut.
    private string WithoutKey(string text)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(apiKey) || apiKey.Length < 4)
        {
            return text;
        }

        if (keyPattern == null)
        {
            var pattern = new StringBuilder();
            foreach (char c in apiKey)
            {
                var forms = new List<string> { Regex.Escape(c.ToString()), @"\\u" + ((int)c).ToString("x4") };
                if (c < 128) forms.Add("%" + ((int)c).ToString("x2"));
                if (c == '/') forms.Add(@"\\/");
                pattern.Append("(?:").Append(string.Join("|", forms)).Append(")");
            }

            // Either case, as a text that lower-cases what it quotes would hold it (over-redacting costs nothing).
            keyPattern = new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        return keyPattern.Replace(text, "[key]");
    }

    // WithoutKey's pattern for this execution's key, built on first use.
    private Regex keyPattern;

    // Logs never hold the key or a phone number.
    private void Log(LogLevel level, string message)
    {
        string text = WithoutKey(message);
        text = PhoneLike.Replace(text, m => Regex.Replace(m.Value, @"\d", "*"));
        Context.Logger.Log(level, text);
    }
}
