// Custom code of the connector, one file for every brand (C# 7; compiled by the platform and, in tests, by Mono's mcs).
// What it adds to plain forwarding:
// - the API key reaches the PBX as "Bearer <key>" whichever way it was typed into the connection;
// - webhook registrations answer 201 with a Location that points back through the connector, so the
//   platform's DELETE reaches DeleteWebhookByID with the key (no more leaked webhooks);
// - polling triggers answer the polling protocol themselves (202/200 + Location) and drain any burst across
//   checks, newest first, nothing skipped or repeated, in either listing order;
// - every execution answers within a 3.5 s budget (the platform allows 5 s), PBX waits included;
// - list actions and designer dropdowns read the polling triggers' PBX lists, one page per call, with a
//   nextLink back through the connector that keeps the pages of a list stable while calls arrive;
// - PBX errors keep their status and envelope and get a message a flow author can act on;
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

    // PBX pages one list call reads at most (more than one only when items to skip filled a page).
    private const int MaxListReads = 3;

    // Not idempotent: the PBX acts on each call, and the API offers no way to tell a repeat from a new request.
    private static readonly HashSet<string> NotIdempotent = new HashSet<string>(WebhookRegistrations) { "Dial" };

    private static readonly Regex PhoneLike = new Regex(@"\+?\d(?:[ \-]?\d){6,}", RegexOptions.Compiled);

    private string apiKey;

    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        budget = new Budget(Stopwatch.StartNew(), BudgetMs);
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

            if (operationId == "GetRecordingFile")
            {
                return await RecordingFileAsync().ConfigureAwait(false);
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
            string retry = NotIdempotent.Contains(operationId) ? " " + MayHaveHappened(operationId) : " Try again later; triggers retry on their own.";
            return ErrorResponse(HttpStatusCode.BadGateway, "The connector could not reach the PBX (" + e.Message + ")." + retry);
        }
        catch (BudgetExceededException)
        {
            Log(LogLevel.Warning, operationId + ": the PBX did not answer within " + BudgetMs + " ms; the request was cancelled.");
            return ErrorResponse(HttpStatusCode.GatewayTimeout, "The PBX did not answer within the connector's time limit, so the request was cancelled. Try again later; triggers retry on their own.");
        }
        catch (OperationCanceledException)
        {
            // The platform gave up on this execution (its 5-second limit, or the flow was cancelled).
            Log(LogLevel.Warning, operationId + ": cancelled by the platform after " + budget.ElapsedMs + " ms.");
            string advice = NotIdempotent.Contains(operationId) ? MayHaveHappened(operationId) : "Nothing was changed; try again later (triggers retry on their own).";
            return ErrorResponse(HttpStatusCode.GatewayTimeout, "The request was cancelled before the PBX answered. " + advice);
        }
    }

    // Sending these twice acts twice (a second call, a second webhook); they are never cut short by the budget.
    private static bool IsNotIdempotent(string operationId)
    {
        return NotIdempotent.Contains(operationId);
    }

    private static string MayHaveHappened(string operationId)
    {
        return operationId == "Dial"
            ? "The call may have been placed all the same: check the phone or the call history before dialling again (set the action's Retry Policy to None so that the platform does not dial twice)."
            : "The webhook may have been registered all the same: if the trigger does not fire, check the webhooks in the " + BrandPortal + " before saving the flow again.";
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

    // ---- Time budget (shared by polling triggers and any operation that pages) ----------------------

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

    // Sends within the budget: a request still in flight at the deadline is cancelled (BudgetExceededException);
    // the platform's own cancellation still surfaces as OperationCanceledException.
    private async Task<HttpResponseMessage> SendWithinBudgetAsync(HttpRequestMessage request)
    {
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, budget.RemainingMs)));
            var watch = Stopwatch.StartNew();
            try
            {
                return await Context.SendAsync(request, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!CancellationToken.IsCancellationRequested)
            {
                // Our deadline (or the HTTP client's own timeout), not the platform's: the caller answers what it has.
                throw new BudgetExceededException();
            }
            finally
            {
                budget.Record(watch.ElapsedMilliseconds);
            }
        }
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
    // These parameters never reach the PBX. Only "ids above N" and limit/offset are relied on, in either order.

    private const string StatePrefix = "poll_";
    private const string StateMarker = "poll_v";
    private const string StateLow = "poll_low";
    private const string StateHigh = "poll_high";
    private const string StatePosition = "poll_pos";
    private const string StateCap = "poll_cap";
    private const string StateScan = "poll_scan";

    // Assumption (unconfirmed): the PBX answers at least this many items per page when asked for them. Only the first
    // check of a new flow relies on it, and only when the PBX lists oldest first.
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
        public long Cursor;
        public bool Marked;
        public long? Low;
        public long High;
        public long Position;
        public long Cap;
        public bool Scan;
    }

    // What one pass over the listing found.
    private sealed class Pass
    {
        public readonly List<KeyValuePair<long, JToken>> Items = new List<KeyValuePair<long, JToken>>();
        public readonly List<JToken> ItemsWithoutId = new List<JToken>();
        public readonly List<long> ListedIds = new List<long>();
        public readonly HashSet<long> Seen = new HashSet<long>();
        public JObject Envelope;
        public HttpResponseMessage Error;
        public bool Ended;
        public bool Moved;
        public long Position;
        public long LargestPage;
        public int Requests;
        public long? MinListed;
        public long? MaxListed;
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

        if (!state.Marked && state.Cursor == 0)
        {
            return await FirstCheckAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
        }

        if (state.Scan)
        {
            return await FinishBaselineAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
        }

        return await DeliverAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
    }

    // A new flow: one PBX request, nothing delivered; the Location starts after the newest item seen.
    private async Task<HttpResponseMessage> FirstCheckAsync(PollRequest poll, PollState state, Uri connectorUri, List<KeyValuePair<string, string>> connectorQuery)
    {
        Pass pass = await ListAsync(poll, 0, 0, 1, 0, id => false).ConfigureAwait(false);
        if (pass.Error != null) return pass.Error;
        if (pass.Requests == 0) return TooSlow(poll, "The trigger's first check");

        state.Marked = true;
        state.Cap = Math.Max(state.Cap, pass.LargestPage);
        state.Cursor = pass.MaxListed ?? 0;
        // Newest first, the top item is the newest. Oldest first with a full page, the newest item lies further on:
        // later checks read on (delivering nothing) before they start delivering.
        // Ascending, the newest item may lie beyond this page: a full page, or a short one when the limit asked
        // exceeds AssumedMinimumCap (the PBX may have capped it). Then later checks read on before delivering.
        bool ascending = pass.ListedIds.Count >= 2 && pass.ListedIds[0] < pass.ListedIds[pass.ListedIds.Count - 1];
        bool mayContinue = pass.LargestPage >= poll.PageSize || poll.PageSize > AssumedMinimumCap;
        state.Scan = !pass.Ended && mayContinue && (ascending || pass.ListedIds.Count == 1);
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
        state.Cursor = Math.Max(state.Cursor, pass.MaxListed ?? 0);
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
            bool ascending = pass.ListedIds.Count >= 2 && pass.ListedIds[0] < pass.ListedIds[pass.ListedIds.Count - 1];
            if (pass.Ended || ascending)
            {
                // Everything above the cursor up to the highest id seen has been seen.
                state.Cursor = Math.Max(state.Cursor, pass.MaxListed ?? state.Cursor);
            }
            else if (pass.Items.Count > 0)
            {
                // Newest first and more to come: the top of the listing is delivered; the rest waits below it.
                state.Low = pass.MinListed;
                state.High = pass.MaxListed ?? state.Cursor;
                state.Position = pass.Position;
            }
        }
        else
        {
            long low = state.Low.Value;
            long high = state.High;
            // Resume one place before where the last check stopped: that item must be one already delivered.
            long start = Math.Max(0, state.Position - 1);
            long? resumeAbove = start > 0 ? low : (long?)null;
            Func<long, bool> below = id => id < low;
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
                state.Cursor = Math.Max(state.Cursor, high);
                state.Low = null;
                backlog = pass.MaxListed != null && pass.MaxListed.Value > high;
                if (pass.Items.Count == 0 && pass.ItemsWithoutId.Count == 0 && budget.RoomForAnother())
                {
                    // Nothing was left below: read what arrived above within this check, rather than answer 202.
                    return await DeliverAsync(poll, state, connectorUri, connectorQuery).ConfigureAwait(false);
                }
            }
            else
            {
                long lowest = pass.Items.Count > 0 ? pass.Items.Min(e => e.Key) : low;
                state.Low = Math.Min(low, lowest);
                state.Position = pass.Position;
                backlog = true;
            }
        }

        state.Cap = Math.Max(state.Cap, pass.LargestPage);
        if (pass.ItemsWithoutId.Count > 0)
        {
            Log(LogLevel.Warning, Context.OperationId + ": " + pass.ItemsWithoutId.Count + " item(s) without a whole-number " + poll.Trigger.IdProperty + " were put last.");
        }

        Log(LogLevel.Information, Context.OperationId + ": " + pass.Items.Count + " new item(s) from " + pass.Requests + " request(s) in " + budget.ElapsedMs + " ms" + (backlog ? "; more are owed, the next check continues." : "."));
        return Answer(poll, state, connectorUri, connectorQuery, pass, backlog);
    }

    // Reads the listing of ids above `cursor` from place `start`, page after page, until its end, the budget,
    // MaxItemsPerCheck or `maxRequests`. Only an empty page, or one shorter than both the limit and the largest
    // page the PBX has returned, ends it (the PBX may cap pages silently). Keeps what `wanted` accepts, once.
    // With `resumeAbove`, the first item read must be at or above it (already delivered), or the pass stops as Moved.
    private async Task<Pass> ListAsync(PollRequest poll, long cursor, long start, int maxRequests, long knownCap, Func<long, bool> wanted, long? resumeAbove = null)
    {
        var pass = new Pass { Position = start };
        while (true)
        {
            if (pass.Requests >= maxRequests || pass.Items.Count >= MaxItemsPerCheck || (pass.Requests > 0 && !budget.RoomForAnother()))
            {
                return pass;
            }

            HttpResponseMessage response;
            try
            {
                response = await SendWithinBudgetAsync(ListRequest(poll, cursor, poll.UserOffset + pass.Position)).ConfigureAwait(false);
            }
            catch (BudgetExceededException)
            {
                Log(LogLevel.Warning, Context.OperationId + ": a PBX request was still running at the time limit (" + BudgetMs + " ms) and was cancelled.");
                return pass;
            }

            pass.Requests++;
            string note = pass.Requests == 1 ? null : "Request " + pass.Requests + " of this check failed, so nothing was delivered and the trigger keeps its position: the next check tries again.";
            if (!response.IsSuccessStatusCode)
            {
                pass.Error = await ExplainErrorAsync(response, false, note).ConfigureAwait(false);
                return pass;
            }

            string text = await ReadBodyAsync(response).ConfigureAwait(false);
            JObject body = ParseObject(text);
            JArray pageItems = body == null ? null : PageItems(body, poll.Trigger);
            if (pageItems == null)
            {
                string what = body == null ? "a body that is not a JSON object (" + WithoutKey(Excerpt(text)) + ")" : "data that is not a list (" + DescribeType(body["data"]) + ")";
                Log(LogLevel.Error, Context.OperationId + ": request " + pass.Requests + " came back with " + what + ".");
                pass.Error = ErrorResponse(HttpStatusCode.BadGateway, "The PBX answered the trigger's request " + pass.Requests + " with " + what + ". Nothing was delivered and the trigger keeps its position: the next check tries again.");
                return pass;
            }

            if (pass.Envelope == null) pass.Envelope = body;
            if (resumeAbove != null && pass.Requests == 1)
            {
                long? top = pageItems.Select(item => ItemId(item, poll.Trigger.IdProperty)).FirstOrDefault(id => id != null);
                if (top != null && top.Value < resumeAbove.Value)
                {
                    pass.Moved = true;
                    return pass;
                }
            }

            bool unseen = false;
            foreach (JToken item in pageItems)
            {
                long? id = ItemId(item, poll.Trigger.IdProperty);
                if (id == null)
                {
                    pass.ItemsWithoutId.Add(item);
                    continue;
                }

                // The PBX should list only ids above the cursor; anything else is dropped here as well.
                if (id.Value <= cursor || !pass.Seen.Add(id.Value)) continue;
                unseen = true;
                pass.ListedIds.Add(id.Value);
                pass.MinListed = pass.MinListed == null ? id.Value : Math.Min(pass.MinListed.Value, id.Value);
                pass.MaxListed = pass.MaxListed == null ? id.Value : Math.Max(pass.MaxListed.Value, id.Value);
                if (wanted(id.Value)) pass.Items.Add(new KeyValuePair<long, JToken>(id.Value, item));
            }

            long count = pageItems.Count;
            long capSoFar = Math.Max(knownCap, pass.LargestPage);
            pass.LargestPage = Math.Max(pass.LargestPage, count);
            pass.Position += count;
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
        bool delivering = pass != null && (pass.Items.Count > 0 || pass.ItemsWithoutId.Count > 0);
        if (delivering)
        {
            var merged = new JArray();
            foreach (KeyValuePair<long, JToken> entry in pass.Items.OrderByDescending(e => e.Key))
            {
                merged.Add(entry.Value);
            }

            foreach (JToken item in pass.ItemsWithoutId)
            {
                merged.Add(item);
            }

            JObject envelope = pass.Envelope ?? new JObject { { "version", EnvelopeVersion }, { "status", "success" }, { "statusCode", 200 }, { "message", string.Empty } };
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
        return ErrorResponse(HttpStatusCode.GatewayTimeout, what + " timed out: the PBX did not answer within " + (BudgetMs / 1000) + "." + (BudgetMs % 1000 / 100) + " s. Nothing was delivered and the trigger keeps its position: the next check tries again.");
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
        long number;
        if (cursor != null && cursor.Length > 0)
        {
            if (!long.TryParse(cursor, out number) || number < 0) return null;
            state.Cursor = number;
        }

        state.Marked = value(StateMarker) != null;
        state.Scan = value(StateScan) == "1";
        string low = value(StateLow);
        if (low != null)
        {
            long high, position;
            if (!long.TryParse(low, out number) || !long.TryParse(value(StateHigh) ?? string.Empty, out high) || !long.TryParse(value(StatePosition) ?? string.Empty, out position) || number > high || position < 0) return null;
            state.Low = number;
            state.High = high;
            state.Position = position;
        }

        string cap = value(StateCap);
        if (cap != null && long.TryParse(cap, out number) && number > 0) state.Cap = number;
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
            parts.Add(StateLow + "=" + state.Low.Value);
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
    private HttpRequestMessage ListRequest(PollRequest poll, long cursor, long offset)
    {
        var parts = poll.PbxQuery.Select(p => p.Value == null ? p.Key : p.Key + "=" + p.Value).ToList();
        parts.Add(poll.Trigger.CursorParameter + "=" + cursor);
        parts.Add("limit=" + poll.PageSize);
        if (offset > 0) parts.Add("offset=" + offset);
        var builder = new UriBuilder(poll.PbxUri) { Query = string.Join("&", parts) };
        var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
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

    // One page, newest first, read with one PBX request (more only when items to skip filled it). The PBX
    // pages by offset, and new items (newest first) push the list down, so a list is kept as it was at its
    // first page by two guards the next link carries: snapshot_id, the highest id of the first page (higher
    // ids arrived later and are left out), and after_id, the last id delivered (an item pushed down onto
    // the next page carries a higher id and is skipped). offset is the PBX offset where reading stopped, so
    // nothing is missed: items only move down, and what moved onto the next page is skipped, not lost.
    private async Task<HttpResponseMessage> ListPageAsync(ListRoute route)
    {
        List<KeyValuePair<string, string>> query = ParseQuery(Context.Request.RequestUri.Query);
        string problem;
        long pageSize = ListNumber(query, "limit", 1, MaxListPageSize, DefaultListPageSize, out problem);
        long offset = problem == null ? ListNumber(query, "offset", 0, long.MaxValue, 0, out problem) : 0;
        // 0 is "none yet", so that a Do until loop can start from variables set to 0.
        long snapshot = problem == null ? ListNumber(query, "snapshot_id", 0, long.MaxValue, 0, out problem) : 0;
        long after = problem == null ? ListNumber(query, "after_id", 0, long.MaxValue, 0, out problem) : 0;
        if (problem != null)
        {
            Log(LogLevel.Warning, Context.OperationId + ": " + problem);
            return ErrorResponse((HttpStatusCode)422, problem);
        }

        List<KeyValuePair<string, string>> filters = query.Where(pair => !IsParameter(pair, route.CursorParameter) && !PagingParameters.Contains(ParameterName(pair))).ToList();
        long? pin = snapshot > 0 ? (long?)snapshot : null;
        var kept = new List<JToken>();
        long position = offset;
        int skipped = 0;
        long guard = after;
        bool last = false;
        HttpResponseMessage first = null;
        JObject envelope = null;
        try
        {
            for (int read = 0; ; read++)
            {
                HttpResponseMessage response = await SendAsync(CollectionRequest(route, filters, 0, pageSize, position)).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return await ExplainErrorAsync(response, false, null).ConfigureAwait(false);
                }

                JObject body = ParseObject(await ReadBodyAsync(response).ConfigureAwait(false));
                JArray raw = body == null ? null : ListItems(body);
                if (raw == null)
                {
                    return ListAnswerBroken("the page");
                }

                if (read == 0)
                {
                    first = response;
                    envelope = body;
                    if (snapshot == 0 && offset == 0 && raw.Count > 0)
                    {
                        // The first page of a list pins it, newest first (unconfirmed). Oldest first, new items come last
                        // and shift nothing, so nothing is pinned.
                        if (IsNewestFirstOrSingle(raw, route.IdProperty)) pin = HighestId(raw, route.IdProperty);
                        else Log(LogLevel.Warning, Context.OperationId + ": the PBX listed oldest first (assumed newest first); each page is sorted newest first and no snapshot is pinned.");
                    }
                }

                int consumed = 0;
                foreach (JToken item in raw)
                {
                    if (kept.Count >= pageSize) break;
                    consumed++;
                    long? id = ItemId(item, route.IdProperty);
                    bool arrivedLater = pin != null && id > pin;
                    bool delivered = pin != null && guard > 0 && id >= guard;
                    if (arrivedLater || delivered)
                    {
                        skipped++;
                        continue;
                    }

                    kept.Add(item);
                    // Newest first, what follows has lower ids; one that moved down between two reads of this call repeats one kept.
                    if (pin != null && id != null) guard = id.Value;
                }

                position += consumed;
                if (raw.Count < pageSize && consumed == raw.Count)
                {
                    // A page shorter than asked is the end (the PBX's cap is assumed to be at least MaxListPageSize).
                    last = true;
                    break;
                }

                if (kept.Count >= pageSize || !budget.RoomForAnother() || read + 1 >= MaxListReads)
                {
                    break;
                }
            }
        }
        catch (BudgetExceededException)
        {
            if (first == null)
            {
                return ListTimedOut();
            }
        }

        // An item without a whole-number id cannot be guarded; it is kept and put last.
        long? lastId = kept.Select(item => ItemId(item, route.IdProperty)).Where(id => id != null).Select(id => id.Value).DefaultIfEmpty(0).Min();
        envelope["data"] = NewestFirst(kept, route.IdProperty);
        foreach (string name in new[] { "nextLink", "snapshotId", "nextOffset", "lastId" })
        {
            envelope.Remove(name);
        }

        if (pin != null)
        {
            envelope["snapshotId"] = pin.Value;
        }

        if (!last)
        {
            long nextAfter = pin == null ? 0 : (lastId > 0 ? lastId.Value : after);
            envelope["nextOffset"] = position;
            if (nextAfter > 0) envelope["lastId"] = nextAfter;
            envelope["nextLink"] = NextLink(filters, pageSize, position, pin, nextAfter).AbsoluteUri;
        }

        Log(LogLevel.Information, Context.OperationId + ": " + kept.Count + " item(s) from offset " + offset + (skipped > 0 ? " (" + skipped + " added after the first page or already delivered, skipped)" : string.Empty) + (last ? "; last page." : "; more remain."));
        HttpResponseMessage result = JsonResponse(first.StatusCode, envelope);
        CopyHeaders(first, result);
        return result;
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
            envelope["nextLink"] = NextLink(filters, pageSize, offset + pageSize, null, 0).AbsoluteUri;
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
        try
        {
            for (long offset = 0; choices.Count < MaxChoices; offset += MaxListPageSize)
            {
                if (offset > 0 && !budget.RoomForAnother())
                {
                    break;
                }

                HttpResponseMessage response = await SendAsync(CollectionRequest(route, new List<KeyValuePair<string, string>>(), 0, MaxListPageSize, offset)).ConfigureAwait(false);
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
    private Uri NextLink(List<KeyValuePair<string, string>> filters, long pageSize, long offset, long? snapshot, long after)
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

        if (after > 0)
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
            string title = name == "limit" ? "Page Size" : name == "offset" ? "Offset" : name == "after_id" ? "After ID" : "Snapshot ID";
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

    private static bool IsNewestFirst(JArray pageItems, string idProperty)
    {
        List<long> ids = pageItems.Select(item => ItemId(item, idProperty)).Where(id => id != null).Select(id => id.Value).ToList();
        return ids.Count >= 2 && ids[0] > ids[ids.Count - 1];
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

    private HttpResponseMessage ListTimedOut()
    {
        Log(LogLevel.Error, Context.OperationId + ": the PBX did not answer within " + BudgetMs + " ms.");
        return ErrorResponse(HttpStatusCode.GatewayTimeout, "The PBX did not answer in time (the connector may wait " + (BudgetMs / 1000) + "." + (BudgetMs % 1000 / 100) + " s). Try again; a smaller Page Size helps when the PBX is slow.");
    }

    private HttpResponseMessage ListAnswerBroken(string what)
    {
        Log(LogLevel.Error, Context.OperationId + ": the PBX answered " + what + " with a body that is not a list.");
        return ErrorResponse(HttpStatusCode.BadGateway, "The PBX answered " + what + " with something that is not a list. Try again later.");
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
        var read = new HttpRequestMessage(HttpMethod.Get, readUri.Uri);
        foreach (KeyValuePair<string, IEnumerable<string>> header in Context.Request.Headers)
        {
            read.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        HttpResponseMessage response = await SendAsync(read).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await ExplainErrorAsync(response, false, null).ConfigureAwait(false);
        }

        string text = await ReadBodyAsync(response).ConfigureAwait(false);
        JObject body = ParseObject(text);
        var data = body == null ? null : body["data"] as JObject;
        if (data == null)
        {
            string what = body == null ? "a body that is not a JSON object (" + WithoutKey(Excerpt(text)) + ")" : "data that is not a recording (" + DescribeType(body["data"]) + ")";
            Log(LogLevel.Error, Context.OperationId + ": the PBX answered recording " + recordId + " with " + what + ".");
            return ErrorResponse(HttpStatusCode.BadGateway, "The PBX answered the read of recording " + recordId + " with " + what + ". Try again later.");
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
            return ErrorResponse(HttpStatusCode.BadGateway, "Recording " + recordId + " has a Recording File URL that is not an http(s) link (\"" + WithoutKey(Excerpt(link)) + "\"), so the connector cannot download it. Ask " + BrandOperator + " about the recording.");
        }

        for (int hop = 0; ; hop++)
        {
            if (hop > 0 && !budget.RoomForAnother())
            {
                return FileTooSlow(recordId, current);
            }

            bool withKey = IsPbxHost(current);
            var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.TryAddWithoutValidation("Accept", "audio/*, application/octet-stream;q=0.9, */*;q=0.5");
            if (withKey)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
            }

            HttpResponseMessage file;
            try
            {
                file = await SendWithinBudgetAsync(request).ConfigureAwait(false);
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

            Log(LogLevel.Information, Context.OperationId + ": recording " + recordId + ", hop " + (hop + 1) + ": " + Shown(current) + (withKey ? " (with the API key)" : " (without the API key)") + " answered " + (int)file.StatusCode + ".");
            Uri reached = file.RequestMessage == null ? null : file.RequestMessage.RequestUri;
            if (reached != null && reached != current && !IsPbxHost(reached))
            {
                // The platform followed a redirect itself (undocumented): .NET drops Authorization when it does.
                Log(LogLevel.Warning, Context.OperationId + ": the platform followed a redirect from " + Shown(current) + " to " + Shown(reached) + " by itself.");
            }

            int status = (int)file.StatusCode;
            if (status >= 300 && status < 400 && status != 304)
            {
                Uri location = file.Headers.Location;
                Uri next = location == null ? null : location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next == null || (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp))
                {
                    Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(current) + " redirected (" + status + ") without a usable Location.");
                    return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " (" + Shown(current) + ") answered a redirect (HTTP " + status + ") without an http(s) Location to follow. Try again later; if it persists, ask " + BrandOperator + " about the recording links.");
                }

                if (hop + 1 > MaxFileRedirects)
                {
                    Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": more than " + MaxFileRedirects + " redirects.");
                    return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " redirected more than " + MaxFileRedirects + " times (last to " + Shown(next) + "), so the connector stopped following it. Ask " + BrandOperator + " about the recording links.");
                }

                current = next;
                continue;
            }

            if (!file.IsSuccessStatusCode)
            {
                return await FileRefusedAsync(file, current, withKey, recordId).ConfigureAwait(false);
            }

            return await FileAnswerAsync(file, current, recordId, hop).ConfigureAwait(false);
        }
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

    private async Task<HttpResponseMessage> FileAnswerAsync(HttpResponseMessage file, Uri from, string recordId, int redirects)
    {
        long? declared = file.Content == null ? null : file.Content.Headers.ContentLength;
        if (declared != null && declared.Value > MaxRecordingBytes)
        {
            return FileTooLarge(recordId, declared.Value);
        }

        byte[] bytes = file.Content == null ? new byte[0] : await file.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (bytes.LongLength > MaxRecordingBytes)
        {
            return FileTooLarge(recordId, bytes.LongLength);
        }

        MediaTypeHeaderValue type = file.Content == null ? null : file.Content.Headers.ContentType;
        if (type != null && type.MediaType != null && NotAFile.IsMatch(type.MediaType))
        {
            string excerpt = WithoutKey(Excerpt(Encoding.UTF8.GetString(bytes, 0, (int)Math.Min(bytes.LongLength, 4096))));
            Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(from) + " answered " + type.MediaType + " instead of audio.");
            return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " (" + Shown(from) + ") answered a page (" + type.MediaType + ") instead of an audio file: \"" + excerpt + "\". Try again later; if it persists, ask " + BrandOperator + " about the recording.");
        }

        if (bytes.Length == 0)
        {
            Log(LogLevel.Error, Context.OperationId + ": recording " + recordId + ": " + Shown(from) + " answered an empty file.");
            return ErrorResponse(HttpStatusCode.BadGateway, "The link of recording " + recordId + " (" + Shown(from) + ") answered an empty file. Try again later; the PBX may still be writing it.");
        }

        var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };
        answer.Content.Headers.ContentType = type ?? new MediaTypeHeaderValue("application/octet-stream");
        string name = from.Segments.Length > 0 ? Uri.UnescapeDataString(from.Segments[from.Segments.Length - 1]) : string.Empty;
        name = Regex.Replace(name, @"[^A-Za-z0-9._-]", "_");
        answer.Content.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = "\"" + (name.Contains(".") ? name : "recording-" + recordId) + "\"" };
        Log(LogLevel.Information, Context.OperationId + ": recording " + recordId + ": " + bytes.Length + " bytes of " + answer.Content.Headers.ContentType.MediaType + " after " + redirects + " redirect(s), in " + budget.ElapsedMs + " ms.");
        return answer;
    }

    // The file link refused: on the PBX's host the PBX's own explanation (key, IP, rate limit...); elsewhere what the
    // link answered, without the key. A missing file stays 404 and a rate limit 429; any other failure is the link's (502).
    private async Task<HttpResponseMessage> FileRefusedAsync(HttpResponseMessage file, Uri from, bool withKey, string recordId)
    {
        if (withKey)
        {
            return await ExplainErrorAsync(file, false, "This was the download of the audio file of recording " + recordId + " from " + Shown(from) + ".").ConfigureAwait(false);
        }

        int status = (int)file.StatusCode;
        string said = WithoutKey(Excerpt(await ReadBodyAsync(file).ConfigureAwait(false)));
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
            int? wait = RetryAfterSeconds(file);
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
        HttpResponseMessage error = ErrorResponse(answer, "The link of recording " + recordId + " (" + Shown(from) + ", fetched without the API key) answered HTTP " + status + ": \"" + said + "\". " + advice);
        if (answer == (HttpStatusCode)429 && file.Headers.RetryAfter != null)
        {
            error.Headers.RetryAfter = file.Headers.RetryAfter;
        }

        return error;
    }

    private HttpResponseMessage FileTooLarge(string recordId, long size)
    {
        Log(LogLevel.Warning, Context.OperationId + ": recording " + recordId + " is " + size + " bytes, more than " + MaxRecordingBytes + ".");
        return ErrorResponse((HttpStatusCode)413, "The audio file of recording " + recordId + " is " + Megabytes(size) + " MB, more than the " + Megabytes(MaxRecordingBytes) + " MB this action hands over (the connector's own limit; the platform's limit for custom code is not documented). Download it another way: the Recording File URL of \"Get call recording by ID\" with an HTTP action (send the API key only if the link is on " + Context.Request.RequestUri.Host + "), or from the " + BrandPortal + ".");
    }

    private HttpResponseMessage FileTooSlow(string recordId, Uri from)
    {
        Log(LogLevel.Warning, Context.OperationId + ": recording " + recordId + ": " + Shown(from) + " did not deliver within " + BudgetMs + " ms.");
        return ErrorResponse(HttpStatusCode.GatewayTimeout, "The audio file of recording " + recordId + " did not arrive within the connector's time limit (" + (BudgetMs / 1000) + "." + (BudgetMs % 1000 / 100) + " s, reading the recording included): its host (" + from.Host + ") is slow or the file is large. Try again later (the action's retry policy does); if it keeps failing, download it another way: the Recording File URL of \"Get call recording by ID\" with an HTTP action, or from the " + BrandPortal + ".");
    }

    private static string Megabytes(long bytes)
    {
        // Rounded to tenths, whatever the culture (10 MB is "10", 12.5 MB "12.5").
        long tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        return (tenths / 10) + (tenths % 10 == 0 ? string.Empty : "." + (tenths % 10));
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

    // Idempotent operations run within the budget; the others wait for the PBX (only the platform may cancel them).
    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        return IsNotIdempotent(Context.OperationId) ? Context.SendAsync(request, CancellationToken) : SendWithinBudgetAsync(request);
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

    // Hop-by-hop headers describe the PBX connection, not the rebuilt response (RFC 7230 6.1).
    private static readonly HashSet<string> HopByHop = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    private static void CopyHeaders(HttpResponseMessage from, HttpResponseMessage to)
    {
        foreach (KeyValuePair<string, IEnumerable<string>> header in from.Headers)
        {
            if (!HopByHop.Contains(header.Key)) to.Headers.TryAddWithoutValidation(header.Key, header.Value);
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
