import type { BrandProfile } from '../model/types';

/**
 * Tele2's brand of the same PBX platform in Lithuania. Title, description, host, contact, privacy
 * policy, categories, colour and publisher come from its published 1.0 files
 * (certified-connectors/Mobili Stotele); the description is reworded as Zvanu Parvaldnieks' was.
 * Its published files name no portal page or menu: those are assumed to match the platform's other
 * brand and are listed in `unconfirmed`.
 */
export const mobiliStotele: BrandProfile = {
  slug: 'mobili-stotele',
  title: 'Mobili Stotele',
  description:
    "Mobili Stotele is Tele2's virtual PBX for mobile subscribers. Use it to start calls and to pass calls, recordings, voicemails, lost callers, employees and PBX configuration to other services as they happen.",
  version: '1.1',
  host: 'mobili-stotele.tele2.lt',
  basePath: '/api/v2/',
  contact: {
    name: 'Tele2',
    url: 'https://mobili-stotele.tele2.lt',
    email: 'integrations@tele2.lt',
  },
  website: 'https://mobili-stotele.tele2.lt',
  privacyPolicy: 'https://www.tele2.com/sustainability/information-for-sustainability-professionals/privacy-and-integrity/',
  categories: ['Communication', 'IT Operations'],
  brandColor: '#31ab3d',
  publisher: 'Tele2',
  stackOwner: 'Tele2',
  apiKeyPortal: 'https://mobili-stotele.tele2.lt/integration',
  certificationFolder: 'Mobili Stotele',
  // Assumed, as for Zvanu Parvaldnieks: the platform derives it from the title.
  apiName: 'mobilistotele',
  publisherPrefix: 'tele2',
  publishedReference: 'certified-mobili-stotele-1.0',
  texts: {
    operator: 'Tele2',
    portal: 'Mobili Stotele admin portal',
    apiKeyPage: 'Integration page',
    webhooksMenu: 'API → Web hooks',
    subscription: 'A Tele2 mobile subscription with the Mobili Stotele service',
  },
  // Numbers: 8 digits after the calling code (area codes 3–5, 7, 9; mobile 6…; toll-free 800…), written
  // nationally with the trunk prefix 8 (8 6xx xxxxx); 0 as well, the prefix Lithuania is moving to.
  market: { country: 'Lithuania', callingCode: '+370', timeZone: 'Europe/Vilnius', numbers: { length: 8, firstDigits: '3456789', trunkPrefixes: ['8', '0'], writtenAlone: false } },
  unconfirmed: ['apiKeyPortal', 'texts.portal', 'texts.apiKeyPage', 'texts.webhooksMenu'],
};
