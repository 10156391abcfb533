import type { BrandProfile } from '../model/types';

/** LMT's brand of the PBX platform, as published in 1.0 (texts improved where allowed). */
export const zvanuParvaldnieks: BrandProfile = {
  slug: 'zvanu-parvaldnieks',
  title: 'Zvanu Parvaldnieks',
  description:
    'Zvanu Parvaldnieks is a mobile virtual PBX service for LMT mobile subscribers. This connector lets users easily send all the data and events about calls, voicemails, contacts and configuration to other services.',
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
};
