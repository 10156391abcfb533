/**
 * The connector readme in the sections of Microsoft's certified-connector readme template (title,
 * publisher, prerequisites, supported operations, credentials, getting started, known issues, FAQ,
 * deployment). The same text is docs/connector-readme.md and the certification folder's Readme.md.
 */
import { buildSwagger } from '../generate/swagger';
import type { BrandFact, BrandProfile, ConnectorModel } from '../model/types';
import { deployFiles, pacCommands, paconnCommands } from '../package/commands';
import { documentedLimits as limits } from '../model/limits';
import { code, document } from './markdown';
import { operationRows, type OperationRows } from './rows';

export const CONNECTOR_README_PATH = 'docs/connector-readme.md';

/** `### <summary> (`OperationId`)`: the heading the cross-check test reads operations from. */
export const operationHeading = (op: Pick<OperationRows, 'summary' | 'operationId'>): string =>
  `### ${op.summary} (${code(op.operationId)})`;

const KIND_NOTE: Record<OperationRows['kind'], string> = {
  action: 'Action.',
  polling: 'Trigger, checked on a schedule (polling).',
  webhook: 'Trigger, called by the PBX the moment the event happens (webhook).',
};

function operations(ops: readonly OperationRows[]): string[] {
  return ops.map((op) => `${operationHeading(op)}\n\n${KIND_NOTE[op.kind]} ${op.description}`);
}

function fence(lines: readonly string[]): string {
  return ['```', ...lines, '```'].join('\n');
}

const FACT_NAMES: Record<BrandFact, string> = {
  apiKeyPortal: 'the API key page address',
  certificationFolder: 'the certification folder',
  'texts.operator': 'the operator name',
  'texts.portal': 'the portal name',
  'texts.apiKeyPage': 'the API key page name',
  'texts.webhooksMenu': 'the webhook menu name',
  'texts.subscription': 'the subscription needed',
};

/** What the brand's published files do not confirm, said where a reader meets it. */
function unconfirmedNote(brand: BrandProfile): string[] {
  if (brand.unconfirmed.length === 0) return [];
  const facts = brand.unconfirmed.map((fact) => FACT_NAMES[fact]);
  return [`- The portal details in this readme (${facts.join(', ')}) are assumed to match the platform's other brands (unconfirmed).`];
}

export function buildConnectorReadme(model: ConnectorModel): string {
  const { brand, auth } = model;
  const ops = operationRows(buildSwagger(model));
  const webhookCount = ops.filter((op) => op.kind === 'webhook').length;
  const pollingCount = ops.filter((op) => op.kind === 'polling').length;
  const generic = { environment: '<environment-guid>', connectorId: '<connector-id>', pacConnectorId: '<connector-guid>' };
  const paconn = paconnCommands(generic);
  const pac = pacCommands(generic);
  return document([
    `# ${brand.title}`,
    brand.description,
    `## Publisher: ${brand.publisher}`,
    '## Prerequisites',
    [
      `- ${brand.texts.subscription}, and access to the ${brand.texts.portal} (${brand.website}).`,
      `- An API key created in the portal's ${brand.texts.apiKeyPage} (${brand.apiKeyPortal}); see Obtaining Credentials.`,
      '- A Power Platform plan that includes premium connectors.',
    ].join('\n'),
    '## Supported Operations',
    `Actions read PBX data or start a call. ${pollingCount} triggers check the PBX for new items on a schedule; ` +
      `${webhookCount} triggers are called by the PBX the moment an event happens.`,
    ...operations(ops),
    '## Obtaining Credentials',
    [
      `1. Sign in to the ${brand.texts.portal} and open the ${brand.texts.apiKeyPage} (${brand.apiKeyPortal}).`,
      '2. Create an API key and allow the API methods your flows use (every method of this list for full use).',
      "3. In the key's IP access list, admit the addresses the Power Platform calls from. They change over time; the 1.0 guidance was to allow `0.0.0.0/0`.",
      `4. When you create the connection, paste the key into **${auth.displayName}**. Both forms are accepted: ` +
        `${code('<key>')} as issued, or ${code('Bearer <key>')} as connections made for version 1.0 hold it; ` +
        'spaces around the key and the case of "Bearer" do not matter.',
    ].join('\n'),
    '## Getting Started',
    'Create a flow with the trigger **When a call is answered**, add Excel Online (Business) **Add a row into a table**, ' +
      'and map Call ID, Caller Number, Destination Number and Call Answered At to the table columns. Each answered call ' +
      'becomes one row. Ready-made flows (Power Automate, Logic Apps Standard and a Power Apps click-to-call button) are in ' +
      'the `flows/` folder of the source repository.',
    '## Known Issues and Limitations',
    [
      `- **At most ${limits.maxWebhooks} webhooks per account.** Every turned-on flow with a webhook trigger holds one; ` +
        `the ${limits.maxWebhooks + 1}st registration fails with a message saying so. Turning a flow off, editing its trigger or deleting it ` +
        `removes its webhook. Flows deleted while they used version 1.0 left their webhooks behind: remove those under ${brand.texts.webhooksMenu} in the portal.`,
      '- **A registration whose answer is lost can leave a subscription.** When the PBX does not answer a webhook registration ' +
        `within ${limits.scriptBudgetMs / 1000} seconds, the connection drops, or its answer holds no webhook ID, the PBX may still have ` +
        'registered the webhook. The connector then fails the registration with 424, a status the platform does not retry, saying ' +
        'so. The API has no operation that lists webhooks, so the connector cannot check. If a flow runs twice per event, remove the ' +
        `extra webhook under ${brand.texts.webhooksMenu} in the portal.`,
      `- **A polling check answers within ${limits.scriptBudgetMs / 1000} seconds** (the platform stops custom code at ` +
        `${limits.platformScriptLimitMs / 1000}). It hands over what it could fetch in that time (at most ${limits.maxItemsPerCheck} items) ` +
        'and asks the platform to check again at once; the rest follows over the next checks, none skipped or repeated. ' +
        'A slow PBX only makes a large burst take more checks. Leave Offset empty on triggers.',
      '- **A PBX error during a check delivers nothing of that check.** The trigger keeps its position and the next check ' +
        'fetches again from the same point, so no item is skipped.',
      '- Polling triggers start from the moment the flow is turned on: items that existed before do not start runs. If the PBX ' +
        'lists oldest first (unconfirmed; newest first is assumed) and already holds more than a page, the first checks read to the ' +
        'newest item before delivering, and items added during those seconds do not start runs.',
      `- **Dial is not repeated on a timeout.** If the PBX has not answered within ${limits.scriptBudgetMs / 1000} seconds, or the ` +
        'connection drops, or the PBX answers 408 or 5xx, the action fails with 424 saying the call may have been placed; the ' +
        'platform\'s default retry policy does not resend 424. Set the action\'s Retry Policy to None (Settings of the action) all the ' +
        'same, so that the platform never dials a second time.',
      `- **List actions return one page** (${limits.defaultListPageSize} items unless Page Size is set, at most ${limits.maxListPageSize}; ` +
        'a page may hold a few fewer while more remain), its items in value. To read them all, loop with **Do until** until Next Link is ' +
        'empty, passing Next Offset as Offset, Snapshot ID, and Last ID as After ID of the previous page: items added meanwhile then neither ' +
        "repeat nor shift the pages. The action's Pagination setting follows Next Link and merges value too, but that path is not confirmed " +
        'for connectors with custom code. List lost callers returns Next Link as well (its items stay in data); page it with Do until.',
      `- The platform allows ${limits.callsPerConnection} calls per connection per ${limits.renewalSeconds} seconds.`,
      '- Talk time and voicemail length are taken to be seconds, and the status and type code lists are not published (unconfirmed).',
      '- Recording and voicemail file links may need the same API access as the connector to download (unconfirmed).',
      ...unconfirmedNote(brand),
    ].join('\n'),
    '## Frequently Asked Questions',
    '### Which form of the API key do I paste?',
    `Either: ${code('<key>')} or ${code('Bearer <key>')}. The connector adds the prefix when it is missing.`,
    '### Why did a trigger not fire for items that already existed?',
    'Triggers report what is new after the flow was turned on; use the List actions (e.g. List calls of the call history) or the "Get ... by ID" actions to read existing items.',
    '## Deployment Instructions',
    `Deploy as a custom connector with the files ${code(deployFiles.definition)}, ${code(deployFiles.properties)} ` +
      `(without ${code('stackOwner')}, which updates refuse) and ${code(deployFiles.script)}. Always pass the script: ` +
      'an update without it removes the custom code.',
    fence([paconn.create, paconn.update]),
    'or with the Power Platform CLI:',
    fence([pac.create, pac.update]),
  ]);
}
