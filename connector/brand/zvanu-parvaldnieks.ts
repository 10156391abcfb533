import type { BrandProfile } from '../model/types';

/**
 * LMT's brand of the PBX platform, as published in 1.0 (texts improved where allowed). The portal
 * page, its menu and the subscription are confirmed by the published reference page.
 */
export const zvanuParvaldnieks: BrandProfile = {
  slug: 'zvanu-parvaldnieks',
  title: 'Zvanu Parvaldnieks',
  description:
    "Zvanu Parvaldnieks is LMT's virtual PBX for mobile subscribers. Use it to start calls and to pass calls, recordings, voicemails, lost callers, employees and PBX configuration to other services as they happen.",
  version: '1.1',
  host: 'zvanuparvaldnieks.lmt.lv',
  basePath: '/api/v2/',
  contact: {
    name: 'Latvijas Mobilais Telefons',
    url: 'https://zvanuparvaldnieks.lmt.lv',
    email: 'tehn.atbalsts@lmt.lv',
  },
  website: 'https://zvanuparvaldnieks.lmt.lv',
  privacyPolicy: 'https://www.lmt.lv/en/data-processing',
  categories: ['Communication', 'IT Operations'],
  brandColor: '#fd941b',
  publisher: 'Latvijas Mobilais Telefons',
  stackOwner: 'Latvijas Mobilais Telefons',
  apiKeyPortal: 'https://zvanuparvaldnieks.lmt.lv/integration',
  // Lower-case "p", as the folder is named in microsoft/PowerPlatformConnectors.
  certificationFolder: 'Zvanu parvaldnieks',
  apiName: 'zvanuparvaldnieks',
  // The shipped flows' connection references are lmt_*: the solution keeps them.
  publisherPrefix: 'lmt',
  publishedReference: 'certified-connector-1.0',
  texts: {
    operator: 'LMT',
    portal: 'Zvanu Parvaldnieks admin portal',
    apiKeyPage: 'Integration page',
    webhooksMenu: 'API → Web hooks',
    subscription: 'An LMT mobile subscription with the Zvanu Parvaldnieks service',
  },
  // Numbers: 8 digits, mobile 2…, landline 6…, toll-free 8…; no trunk prefix, usually written alone.
  market: { country: 'Latvia', callingCode: '+371', timeZone: 'Europe/Riga', numbers: { length: 8, firstDigits: '268', trunkPrefixes: [], writtenAlone: true } },
  unconfirmed: [],
};
