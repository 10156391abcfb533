// Long-lived test host for script.csx. Speaks JSON lines on stdin/stdout (see script-host/protocol.ts):
// runs each "execute" as a Script instance, turns every Context.SendAsync into a "send" message answered
// by a "reply", and finishes with a "result" (or "failed"). Several executions may be in flight.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ScriptHostRunner
{
    internal static class Program
    {
        private static readonly object OutputLock = new object();
        private static TextWriter output;
        private static readonly ConcurrentDictionary<string, Execution> Executions = new ConcurrentDictionary<string, Execution>();

        private static Type scriptType;

        // args[0]: the compiled script assembly (ScriptUnderTest.dll), loaded once for every execution.
        private static int Main(string[] args)
        {
            if (args.Length != 1)
            {
                Console.Error.WriteLine("usage: mono ScriptHostRunner.exe <ScriptUnderTest.dll>");
                return 2;
            }

            scriptType = Assembly.LoadFrom(args[0]).GetTypes().FirstOrDefault(t => t.Name == "Script" && typeof(ScriptBase).IsAssignableFrom(t));
            if (scriptType == null)
            {
                Console.Error.WriteLine("script-host: the script defines no class Script : ScriptBase");
                return 3;
            }

            output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
            // Anything the script might print must not corrupt the protocol stream.
            Console.SetOut(Console.Error);
            var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            Write(new JObject { { "type", "ready" } });
            string line;
            while ((line = input.ReadLine()) != null)
            {
                if (line.Length == 0) continue;
                JObject message;
                try
                {
                    message = Json.Parse(line) as JObject;
                }
                catch (JsonException e)
                {
                    Console.Error.WriteLine("script-host: unreadable message: " + e.Message);
                    continue;
                }
                if (message == null) continue;
                try
                {
                    Dispatch(message);
                }
                catch (Exception e)
                {
                    // A message the host cannot turn into an execution (e.g. a URL over System.Uri's 65,519 characters)
                    // fails that execution only; an exception here would otherwise end the process and every later one.
                    Console.Error.WriteLine("script-host: message refused: " + e.GetType().Name + ": " + e.Message);
                    string id = message["id"] != null && message["id"].Type == JTokenType.String ? (string)message["id"] : null;
                    if (id != null && (string)message["type"] == "execute") Write(Refused(id, e));
                }
            }
            return 0;
        }

        private static void Dispatch(JObject message)
        {
            string type = (string)message["type"];
            string id = (string)message["id"];
            Execution execution;
            switch (type)
            {
                case "execute":
                    execution = new Execution(id, message);
                    Executions[id] = execution;
                    if ((bool?)message["cancelled"] == true) execution.Cancellation.Cancel();
                    Task.Run(() => RunAsync(execution));
                    break;
                case "reply":
                    if (Executions.TryGetValue(id, out execution)) execution.Context.Answer((int)message["seq"], message);
                    break;
                case "cancel":
                    if (Executions.TryGetValue(id, out execution)) execution.Cancellation.Cancel();
                    break;
                default:
                    Console.Error.WriteLine("script-host: unknown message type " + type);
                    break;
            }
        }

        private static async Task RunAsync(Execution execution)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var script = (ScriptBase)Activator.CreateInstance(scriptType);
                script.Context = execution.Context;
                script.CancellationToken = execution.Cancellation.Token;
                HttpResponseMessage response = await script.ExecuteAsync().ConfigureAwait(false);
                JObject result = await Wire.FromResponseAsync(response).ConfigureAwait(false);
                clock.Stop();
                result["type"] = "result";
                result["id"] = execution.Id;
                result["hostMs"] = clock.Elapsed.TotalMilliseconds - execution.Context.BackendMs;
                result["backendMs"] = execution.Context.BackendMs;
                Write(result);
            }
            catch (Exception e)
            {
                bool cancelled = e is OperationCanceledException || (e is AggregateException && e.InnerException is OperationCanceledException);
                Write(new JObject
                {
                    { "type", "failed" },
                    { "id", execution.Id },
                    { "cancelled", cancelled },
                    { "error", e.GetType().FullName + ": " + e.Message },
                    { "stack", e.ToString() },
                });
            }
            finally
            {
                Execution ignored;
                Executions.TryRemove(execution.Id, out ignored);
                execution.Cancellation.Dispose();
            }
        }

        private static JObject Refused(string id, Exception e)
        {
            return new JObject
            {
                { "type", "failed" },
                { "id", id },
                { "cancelled", false },
                { "error", "the host could not start this execution: " + e.GetType().FullName + ": " + e.Message },
                { "stack", "the host could not start this execution: " + e },
            };
        }

        internal static void Write(JObject message)
        {
            string text = message.ToString(Formatting.None);
            lock (OutputLock)
            {
                output.Write(text);
                output.Write('\n');
                output.Flush();
            }
        }
    }

    internal sealed class Execution
    {
        public Execution(string id, JObject message)
        {
            Id = id;
            Cancellation = new CancellationTokenSource();
            string original = (string)message["originalRequestUri"];
            Context = new HostContext(
                id,
                (string)message["operationId"],
                (string)message["correlationId"] ?? Guid.NewGuid().ToString(),
                Wire.ToRequest(message),
                string.IsNullOrEmpty(original) ? null : new Uri(original),
                (bool?)message["sendIgnoresToken"] == true);
        }

        public string Id { get; private set; }

        public CancellationTokenSource Cancellation { get; private set; }

        public HostContext Context { get; private set; }
    }

    internal sealed class HostContext : IScriptContext
    {
        private readonly string executionId;
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JObject>> pending = new ConcurrentDictionary<int, TaskCompletionSource<JObject>>();
        private int sequence;
        private long backendTicks;

        // A platform whose SendAsync ignores its token: a cancelled request keeps waiting for the backend's reply.
        private readonly bool ignoresToken;

        public HostContext(string executionId, string operationId, string correlationId, HttpRequestMessage request, Uri originalRequestUri, bool ignoresToken)
        {
            this.executionId = executionId;
            this.ignoresToken = ignoresToken;
            OperationId = operationId;
            CorrelationId = correlationId;
            Request = request;
            OriginalRequestUri = originalRequestUri;
            Logger = new WireLogger(executionId);
        }

        public string CorrelationId { get; private set; }

        public string OperationId { get; private set; }

        public HttpRequestMessage Request { get; private set; }

        public ILogger Logger { get; private set; }

        public Uri OriginalRequestUri { get; private set; }

        // Time spent waiting for the test's backend, excluded from the host's own time.
        public double BackendMs { get { return TimeSpan.FromTicks(Interlocked.Read(ref backendTicks)).TotalMilliseconds; } }

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!ignoresToken) cancellationToken.ThrowIfCancellationRequested();
            int seq = Interlocked.Increment(ref sequence);
            JObject message = await Wire.FromRequestAsync(request).ConfigureAwait(false);
            message["type"] = "send";
            message["id"] = executionId;
            message["seq"] = seq;
            var answer = new TaskCompletionSource<JObject>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[seq] = answer;
            var clock = Stopwatch.StartNew();
            JObject reply;
            using (ignoresToken ? default(CancellationTokenRegistration) : cancellationToken.Register(() => answer.TrySetCanceled()))
            {
                Program.Write(message);
                try
                {
                    reply = await answer.Task.ConfigureAwait(false);
                }
                finally
                {
                    clock.Stop();
                    Interlocked.Add(ref backendTicks, clock.Elapsed.Ticks);
                    TaskCompletionSource<JObject> ignored;
                    pending.TryRemove(seq, out ignored);
                }
            }
            if (reply["error"] != null && reply["error"].Type != JTokenType.Null)
            {
                throw new HttpRequestException((string)reply["error"]);
            }
            HttpResponseMessage response = Wire.ToResponse(reply);
            response.RequestMessage = request;
            return response;
        }

        public void Answer(int seq, JObject reply)
        {
            TaskCompletionSource<JObject> answer;
            if (pending.TryGetValue(seq, out answer)) answer.TrySetResult(reply);
        }
    }

    internal sealed class WireLogger : ILogger
    {
        private readonly string executionId;

        public WireLogger(string executionId)
        {
            this.executionId = executionId;
        }

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter)
        {
            string text = formatter != null ? formatter(state, exception) : (state == null ? string.Empty : state.ToString());
            if (exception != null) text += " | " + exception.GetType().Name + ": " + exception.Message;
            Program.Write(new JObject { { "type", "log" }, { "id", executionId }, { "level", logLevel.ToString() }, { "message", text } });
        }

        public bool IsEnabled(LogLevel logLevel)
        {
            return logLevel != LogLevel.None;
        }

        public IDisposable BeginScope<TState>(TState state)
        {
            return new NoScope();
        }

        private sealed class NoScope : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    internal static class Json
    {
        // Dates stay strings: the host must not reformat what the script or the backend wrote.
        public static JToken Parse(string text)
        {
            using (var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None })
            {
                return JToken.ReadFrom(reader);
            }
        }
    }

    internal static class Wire
    {
        public static HttpRequestMessage ToRequest(JObject message)
        {
            var request = new HttpRequestMessage(new HttpMethod((string)message["method"] ?? "GET"), (string)message["url"]);
            JToken body = message["body"];
            if (body != null && body.Type == JTokenType.String)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes((string)body));
            }
            AddHeaders(message["headers"] as JObject, request.Headers, request.Content);
            return request;
        }

        public static HttpResponseMessage ToResponse(JObject reply)
        {
            var response = new HttpResponseMessage((HttpStatusCode)(int)reply["status"]);
            JToken body = reply["body"];
            string text = body == null || body.Type == JTokenType.Null ? string.Empty : (string)body;
            response.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            AddHeaders(reply["headers"] as JObject, response.Headers, response.Content);
            return response;
        }

        public static async Task<JObject> FromRequestAsync(HttpRequestMessage request)
        {
            var headers = new JObject();
            CopyHeaders(request.Headers, headers);
            JToken body = JValue.CreateNull();
            if (request.Content != null)
            {
                CopyHeaders(request.Content.Headers, headers);
                body = await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            return new JObject
            {
                { "method", request.Method.Method },
                { "url", request.RequestUri == null ? null : request.RequestUri.AbsoluteUri },
                { "headers", headers },
                { "body", body },
            };
        }

        public static async Task<JObject> FromResponseAsync(HttpResponseMessage response)
        {
            var headers = new JObject();
            CopyHeaders(response.Headers, headers);
            string body = string.Empty;
            if (response.Content != null)
            {
                CopyHeaders(response.Content.Headers, headers);
                body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            return new JObject { { "status", (int)response.StatusCode }, { "headers", headers }, { "body", body } };
        }

        private static void AddHeaders(JObject source, System.Net.Http.Headers.HttpHeaders target, HttpContent content)
        {
            if (source == null) return;
            foreach (JProperty header in source.Properties())
            {
                string value = header.Value.Type == JTokenType.String ? (string)header.Value : header.Value.ToString(Formatting.None);
                if (target.TryAddWithoutValidation(header.Name, value)) continue;
                if (content != null) content.Headers.TryAddWithoutValidation(header.Name, value);
            }
        }

        private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders source, JObject target)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in source)
            {
                target[header.Key.ToLowerInvariant()] = string.Join(", ", header.Value);
            }
        }
    }
}
