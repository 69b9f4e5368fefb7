/**
 * What Group Policy editors show IT for each setting, in the languages of the ADML files:
 * a short name and an explain text (from the README's tables), and a label for each choice
 * of a list. Typed by the settings keys, so a new key without its texts does not compile;
 * checkTexts says the same at run time, naming the key, for the generator and its test.
 * The registry value, its type, the default and whether a settings file may set it are
 * added by the generator from the schema (footer, below), so they cannot go stale here.
 */
import type { PolicyKey, SettingKey } from './keys';

export const LANGUAGES = ['en-US', 'fi-FI', 'sv-SE', 'da-DK'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Localized = Record<Language, string>;

export interface KeyTexts {
  name: Localized;
  explain: Localized;
  /** Enumerations: a label per value. */
  items?: Record<string, Localized>;
}

export const KEY_TEXTS: Record<SettingKey, KeyTexts> = {
  authority: {
    name: {
      'en-US': 'Identity provider (authority)',
      'fi-FI': 'Tunnistautumispalvelu (authority)',
      'sv-SE': 'Identitetsleverantör (authority)',
      'da-DK': 'Identitetsudbyder (authority)',
    },
    explain: {
      'en-US': 'The identity provider: the Entra ID tenant URL (https://login.microsoftonline.com/<tenant-id>/) or any OpenID Connect issuer.',
      'fi-FI': 'Tunnistautumispalvelu: Entra ID -vuokraajan URL (https://login.microsoftonline.com/<tenant-id>/) tai mikä tahansa OpenID Connect -myöntäjä.',
      'sv-SE': 'Identitetsleverantören: Entra ID-klientorganisationens URL (https://login.microsoftonline.com/<tenant-id>/) eller en annan OpenID Connect-utfärdare.',
      'da-DK': 'Identitetsudbyderen: Entra ID-lejerens URL (https://login.microsoftonline.com/<tenant-id>/) eller en anden OpenID Connect-udsteder.',
    },
  },
  protocolMode: {
    name: { 'en-US': 'Sign-in protocol', 'fi-FI': 'Kirjautumisprotokolla', 'sv-SE': 'Inloggningsprotokoll', 'da-DK': 'Loginprotokol' },
    explain: {
      'en-US': 'AAD for Entra ID, OIDC for another OpenID Connect provider.',
      'fi-FI': 'AAD: Entra ID, OIDC: muu OpenID Connect -palvelu.',
      'sv-SE': 'AAD för Entra ID, OIDC för en annan OpenID Connect-leverantör.',
      'da-DK': 'AAD for Entra ID, OIDC for en anden OpenID Connect-udbyder.',
    },
    items: {
      AAD: { 'en-US': 'AAD (Entra ID)', 'fi-FI': 'AAD (Entra ID)', 'sv-SE': 'AAD (Entra ID)', 'da-DK': 'AAD (Entra ID)' },
      OIDC: {
        'en-US': 'OIDC (another OpenID Connect provider)',
        'fi-FI': 'OIDC (muu OpenID Connect -palvelu)',
        'sv-SE': 'OIDC (annan OpenID Connect-leverantör)',
        'da-DK': 'OIDC (anden OpenID Connect-udbyder)',
      },
    },
  },
  knownAuthorities: {
    name: { 'en-US': 'Known authorities', 'fi-FI': 'Tunnetut myöntäjät', 'sv-SE': 'Kända utfärdare', 'da-DK': 'Kendte udstedere' },
    explain: {
      'en-US': "Authority hosts MSAL may trust without Microsoft's instance discovery (needed offline and for OIDC).",
      'fi-FI': 'Myöntäjäpalvelimet, joihin MSAL voi luottaa ilman Microsoftin instanssien hakua (tarvitaan ilman verkkoyhteyttä ja OIDC:n kanssa).',
      'sv-SE': 'Utfärdarvärdar som MSAL får lita på utan Microsofts instansidentifiering (behövs offline och för OIDC).',
      'da-DK': 'Udstederværter, som MSAL må stole på uden Microsofts instansopslag (nødvendigt offline og for OIDC).',
    },
  },
  clientId: {
    name: {
      'en-US': 'Application (client) ID',
      'fi-FI': 'Sovelluksen (asiakkaan) tunnus',
      'sv-SE': 'Program-ID (klient-ID)',
      'da-DK': 'Program-id (klient-id)',
    },
    explain: {
      'en-US': "The console's app registration: a public client with the loopback redirect http://localhost.",
      'fi-FI': 'Konsolin sovellusrekisteröinti: julkinen asiakas, uudelleenohjaus http://localhost.',
      'sv-SE': 'Konsolens appregistrering: en offentlig klient med omdirigeringen http://localhost.',
      'da-DK': 'Konsollens appregistrering: en offentlig klient med omdirigeringen http://localhost.',
    },
  },
  scopes: {
    name: {
      'en-US': 'Booking API scopes',
      'fi-FI': 'Ajanvaraus-API:n käyttöalueet',
      'sv-SE': 'Omfång för boknings-API:t',
      'da-DK': "Scopes for booking-API'et",
    },
    explain: {
      'en-US': 'Scopes for the booking API, e.g. api://<booking-api-app-id>/meetings.read.',
      'fi-FI': 'Ajanvaraus-API:n käyttöalueet (scopes), esim. api://<booking-api-app-id>/meetings.read.',
      'sv-SE': 'Omfång (scopes) för boknings-API:t, t.ex. api://<booking-api-app-id>/meetings.read.',
      'da-DK': "Scopes for booking-API'et, f.eks. api://<booking-api-app-id>/meetings.read.",
    },
  },
  bookingApiUrl: {
    name: {
      'en-US': 'Booking API URL (VDX)',
      'fi-FI': 'Ajanvaraus-API:n osoite (VDX)',
      'sv-SE': 'Boknings-API:ts URL (VDX)',
      'da-DK': "Booking-API'ets URL (VDX)",
    },
    explain: {
      'en-US': 'The VDX Booking Module API base URL; <url>/v2/meetings is the meetings endpoint.',
      'fi-FI': 'VDX Booking Module API:n perusosoite; <url>/v2/meetings on tapaamisten rajapinta.',
      'sv-SE': 'Bas-URL för VDX Booking Module API; <url>/v2/meetings är mötenas slutpunkt.',
      'da-DK': 'Basis-URL for VDX Booking Module API; <url>/v2/meetings er mødernes endpoint.',
    },
  },
  conferenceServers: {
    name: { 'en-US': 'Conference servers', 'fi-FI': 'Videoneuvottelupalvelimet', 'sv-SE': 'Konferensservrar', 'da-DK': 'Konferenceservere' },
    explain: {
      'en-US':
        'Where each meeting\'s video room is, by the domain of its VDX uriWithDomain: {"domain", "provider": "pexip", "url": <Conferencing Node, https>} or {"domain", "provider": "janus", "url": <Janus wss>, "guardUrl": <room guard, https>}.',
      'fi-FI':
        'Missä kunkin tapaamisen videohuone on, VDX:n uriWithDomain-kentän toimialueen mukaan: {"domain", "provider": "pexip", "url": <Conferencing Node, https>} tai {"domain", "provider": "janus", "url": <Janus wss>, "guardUrl": <huonevahti, https>}.',
      'sv-SE':
        'Var varje mötes videorum finns, efter domänen i VDX-fältet uriWithDomain: {"domain", "provider": "pexip", "url": <Conferencing Node, https>} eller {"domain", "provider": "janus", "url": <Janus wss>, "guardUrl": <rumsvakt, https>}.',
      'da-DK':
        'Hvor hvert mødes videorum er, efter domænet i VDX-feltet uriWithDomain: {"domain", "provider": "pexip", "url": <Conferencing Node, https>} eller {"domain", "provider": "janus", "url": <Janus wss>, "guardUrl": <rumvagt, https>}.',
    },
  },
  wipeScheduleOnSignOut: {
    name: {
      'en-US': 'Remove the offline schedule at sign-out',
      'fi-FI': 'Poista offline-aikataulu uloskirjautuessa',
      'sv-SE': 'Ta bort offlineschemat vid utloggning',
      'da-DK': 'Slet offlineskemaet ved logout',
    },
    explain: {
      'en-US': "Removes the user's offline schedule at sign-out (shared workstations).",
      'fi-FI': 'Poistaa käyttäjän offline-aikataulun uloskirjautumisen yhteydessä (yhteiskäyttöiset työasemat).',
      'sv-SE': 'Tar bort användarens offlineschema vid utloggning (delade arbetsstationer).',
      'da-DK': 'Sletter brugerens offlineskema ved logout (delte arbejdsstationer).',
    },
  },
  requestTimeoutMs: {
    name: {
      'en-US': 'Booking API request timeout (ms)',
      'fi-FI': 'Ajanvaraus-API:n pyyntöjen aikakatkaisu (ms)',
      'sv-SE': 'Tidsgräns för boknings-API:t (ms)',
      'da-DK': "Timeout for booking-API'et (ms)",
    },
    explain: {
      'en-US': 'A booking API request gives up after this many milliseconds.',
      'fi-FI': 'Ajanvaraus-API:n pyyntö keskeytetään näin monen millisekunnin jälkeen.',
      'sv-SE': 'En begäran till boknings-API:t avbryts efter så här många millisekunder.',
      'da-DK': "En forespørgsel til booking-API'et afbrydes efter så mange millisekunder.",
    },
  },
  signInTimeoutSeconds: {
    name: {
      'en-US': 'Sign-in timeout (seconds)',
      'fi-FI': 'Kirjautumisen aikakatkaisu (sekuntia)',
      'sv-SE': 'Tidsgräns för inloggning (sekunder)',
      'da-DK': 'Timeout for login (sekunder)',
    },
    explain: {
      'en-US': 'A browser sign-in left unfinished is stopped (its loopback listener closed) after this many seconds.',
      'fi-FI': 'Keskeneräinen selainkirjautuminen lopetetaan (paikallinen kuuntelija suljetaan) näin monen sekunnin jälkeen.',
      'sv-SE': 'En oavslutad inloggning i webbläsaren avbryts (den lokala lyssnaren stängs) efter så här många sekunder.',
      'da-DK': 'Et ufærdigt login i browseren stoppes (den lokale lytter lukkes) efter så mange sekunder.',
    },
  },
  externalAllowlist: {
    name: {
      'en-US': 'Origins the console may open in the browser',
      'fi-FI': 'Selaimessa avattavat lähteet',
      'sv-SE': 'Ursprung som får öppnas i webbläsaren',
      'da-DK': 'Oprindelser, der må åbnes i browseren',
    },
    explain: {
      'en-US': "Origins the console may open in the system browser besides the identity provider's and the patient portal's (exact scheme://host[:port]).",
      'fi-FI': 'Lähteet (origin), joita konsoli saa avata järjestelmän selaimessa tunnistautumispalvelun ja potilasportaalin lisäksi (tarkka scheme://host[:port]).',
      'sv-SE': 'Ursprung som konsolen får öppna i systemets webbläsare utöver identitetsleverantörens och patientportalens (exakt scheme://host[:port]).',
      'da-DK': 'Oprindelser, som konsollen må åbne i systemets browser ud over identitetsudbyderens og patientportalens (præcis scheme://host[:port]).',
    },
  },
  allowBasicTextSecretStorage: {
    name: {
      'en-US': 'Allow unencrypted secret storage (Linux)',
      'fi-FI': 'Salli salaamaton salaisuuksien tallennus (Linux)',
      'sv-SE': 'Tillåt okrypterad lagring av hemligheter (Linux)',
      'da-DK': 'Tillad ukrypteret lagring af hemmeligheder (Linux)',
    },
    explain: {
      'en-US': "Linux without a keyring: allows Electron's basic_text storage for secrets, which is not real encryption.",
      'fi-FI': 'Linux ilman avainnippua: sallii Electronin basic_text-tallennuksen salaisuuksille; se ei ole todellista salausta.',
      'sv-SE': 'Linux utan nyckelring: tillåter Electrons basic_text-lagring av hemligheter, som inte är verklig kryptering.',
      'da-DK': 'Linux uden nøglering: tillader Electrons basic_text-lagring af hemmeligheder, som ikke er rigtig kryptering.',
    },
  },
  updateChannel: {
    name: { 'en-US': 'Updates', 'fi-FI': 'Päivitykset', 'sv-SE': 'Uppdateringar', 'da-DK': 'Opdateringer' },
    explain: {
      'en-US': 'off: the console never updates itself. private-feed: it follows updateFeedUrl, never during a call. An MSI installation never updates itself.',
      'fi-FI': 'off: konsoli ei koskaan päivitä itseään. private-feed: päivitykset haetaan osoitteesta updateFeedUrl, ei koskaan puhelun aikana. MSI-asennus ei koskaan päivitä itseään.',
      'sv-SE': 'off: konsolen uppdaterar sig aldrig själv. private-feed: den följer updateFeedUrl, aldrig under ett samtal. En MSI-installation uppdaterar sig aldrig själv.',
      'da-DK': 'off: konsollen opdaterer aldrig sig selv. private-feed: den følger updateFeedUrl, aldrig under et opkald. En MSI-installation opdaterer aldrig sig selv.',
    },
    items: {
      off: { 'en-US': 'Off', 'fi-FI': 'Ei päivityksiä', 'sv-SE': 'Av', 'da-DK': 'Fra' },
      'private-feed': {
        'en-US': 'Private feed (updateFeedUrl)',
        'fi-FI': 'Oma päivityssyöte (updateFeedUrl)',
        'sv-SE': 'Privat flöde (updateFeedUrl)',
        'da-DK': 'Privat feed (updateFeedUrl)',
      },
    },
  },
  updateFeedUrl: {
    name: {
      'en-US': 'Update feed URL',
      'fi-FI': 'Päivityssyötteen osoite',
      'sv-SE': 'URL för uppdateringsflödet',
      'da-DK': 'URL til opdateringsfeed',
    },
    explain: {
      'en-US': 'Your electron-updater "generic" feed (https), used only when updateChannel is private-feed.',
      'fi-FI': 'Oma electron-updater "generic" -syötteenne (https); käytössä vain, kun updateChannel on private-feed.',
      'sv-SE': 'Ert electron-updater-flöde av typen "generic" (https); används bara när updateChannel är private-feed.',
      'da-DK': 'Jeres electron-updater-feed af typen "generic" (https); bruges kun, når updateChannel er private-feed.',
    },
  },
  proxyMode: {
    name: { 'en-US': 'Proxy', 'fi-FI': 'Välityspalvelin', 'sv-SE': 'Proxy', 'da-DK': 'Proxy' },
    explain: {
      'en-US': 'system: the OS proxy settings; fixed: proxyRules; direct: no proxy.',
      'fi-FI': 'system: käyttöjärjestelmän välityspalvelinasetukset; fixed: proxyRules; direct: ei välityspalvelinta.',
      'sv-SE': 'system: operativsystemets proxyinställningar; fixed: proxyRules; direct: ingen proxy.',
      'da-DK': 'system: styresystemets proxyindstillinger; fixed: proxyRules; direct: ingen proxy.',
    },
    items: {
      system: { 'en-US': 'System proxy', 'fi-FI': 'Järjestelmän välityspalvelin', 'sv-SE': 'Systemets proxy', 'da-DK': 'Systemets proxy' },
      fixed: { 'en-US': 'Fixed (proxyRules)', 'fi-FI': 'Kiinteä (proxyRules)', 'sv-SE': 'Fast (proxyRules)', 'da-DK': 'Fast (proxyRules)' },
      direct: {
        'en-US': 'Direct (no proxy)',
        'fi-FI': 'Suora yhteys (ei välityspalvelinta)',
        'sv-SE': 'Direkt (ingen proxy)',
        'da-DK': 'Direkte (ingen proxy)',
      },
    },
  },
  proxyRules: {
    name: { 'en-US': 'Proxy rules', 'fi-FI': 'Välityspalvelinsäännöt', 'sv-SE': 'Proxyregler', 'da-DK': 'Proxyregler' },
    explain: {
      'en-US': 'Chromium proxy rules for proxyMode fixed, e.g. proxy.hospital.example:8080.',
      'fi-FI': 'Chromiumin välityspalvelinsäännöt, kun proxyMode on fixed, esim. proxy.hospital.example:8080.',
      'sv-SE': 'Chromiums proxyregler för proxyMode fixed, t.ex. proxy.hospital.example:8080.',
      'da-DK': 'Chromiums proxyregler for proxyMode fixed, f.eks. proxy.hospital.example:8080.',
    },
  },
  proxyBypassRules: {
    name: {
      'en-US': 'Proxy bypass rules',
      'fi-FI': 'Välityspalvelimen ohitussäännöt',
      'sv-SE': 'Undantag från proxyn',
      'da-DK': 'Undtagelser fra proxyen',
    },
    explain: {
      'en-US': 'Hosts that bypass the fixed proxy, e.g. <local>,*.hospital.example.',
      'fi-FI': 'Palvelimet, joihin yhteys ei kulje kiinteän välityspalvelimen kautta, esim. <local>,*.hospital.example.',
      'sv-SE': 'Värdar som inte går via den fasta proxyn, t.ex. <local>,*.hospital.example.',
      'da-DK': 'Værter, der ikke går gennem den faste proxy, f.eks. <local>,*.hospital.example.',
    },
  },
  logLevel: {
    name: { 'en-US': 'Log level', 'fi-FI': 'Lokitaso', 'sv-SE': 'Loggnivå', 'da-DK': 'Logniveau' },
    explain: {
      'en-US':
        'The least severe messages written to the log (main.log), from the main process and from every window. Personal data is removed from every line at every level.',
      'fi-FI':
        'Vähiten vakavat viestit, jotka kirjoitetaan lokiin (main.log) pääprosessista ja jokaisesta ikkunasta. Henkilötiedot poistetaan jokaiselta riviltä kaikilla tasoilla.',
      'sv-SE':
        'De minst allvarliga meddelanden som skrivs till loggen (main.log), från huvudprocessen och från varje fönster. Personuppgifter tas bort från varje rad på alla nivåer.',
      'da-DK':
        'De mindst alvorlige meddelelser, der skrives i loggen (main.log), fra hovedprocessen og fra hvert vindue. Personoplysninger fjernes fra hver linje på alle niveauer.',
    },
    items: {
      error: { 'en-US': 'Errors only', 'fi-FI': 'Vain virheet', 'sv-SE': 'Endast fel', 'da-DK': 'Kun fejl' },
      warn: { 'en-US': 'Warnings and errors', 'fi-FI': 'Varoitukset ja virheet', 'sv-SE': 'Varningar och fel', 'da-DK': 'Advarsler og fejl' },
      info: { 'en-US': 'Information (default)', 'fi-FI': 'Tiedot (oletus)', 'sv-SE': 'Information (standard)', 'da-DK': 'Information (standard)' },
      debug: {
        'en-US': 'Debugging (for a support case)',
        'fi-FI': 'Vianetsintä (tukipyyntöä varten)',
        'sv-SE': 'Felsökning (för ett supportärende)',
        'da-DK': 'Fejlsøgning (til en supportsag)',
      },
    },
  },
  scheduleDaysBack: {
    name: {
      'en-US': 'Offline schedule: days back',
      'fi-FI': 'Offline-aikataulu: päiviä taaksepäin',
      'sv-SE': 'Offlineschema: dagar bakåt',
      'da-DK': 'Offlineskema: dage tilbage',
    },
    explain: {
      'en-US': 'The offline schedule keeps this many days before today; older days are purged.',
      'fi-FI': 'Offline-aikataulu säilyttää näin monta päivää ennen tätä päivää; vanhemmat poistetaan.',
      'sv-SE': 'Offlineschemat behåller så här många dagar före i dag; äldre dagar rensas.',
      'da-DK': 'Offlineskemaet gemmer så mange dage før i dag; ældre dage slettes.',
    },
  },
  scheduleDaysForward: {
    name: {
      'en-US': 'Offline schedule: days forward',
      'fi-FI': 'Offline-aikataulu: päiviä eteenpäin',
      'sv-SE': 'Offlineschema: dagar framåt',
      'da-DK': 'Offlineskema: dage frem',
    },
    explain: {
      'en-US': 'The offline schedule keeps this many days after today; later days are not stored.',
      'fi-FI': 'Offline-aikataulu säilyttää näin monta päivää tämän päivän jälkeen; myöhempiä ei tallenneta.',
      'sv-SE': 'Offlineschemat behåller så här många dagar efter i dag; senare dagar sparas inte.',
      'da-DK': 'Offlineskemaet gemmer så mange dage efter i dag; senere dage gemmes ikke.',
    },
  },
  invitationBaseUrl: {
    name: {
      'en-US': 'Guest invitation link base',
      'fi-FI': 'Vieraskutsun linkin perusosoite',
      'sv-SE': 'Bas för gästinbjudningslänken',
      'da-DK': 'Basis for gæsteinvitationslinket',
    },
    explain: {
      'en-US': 'Base of the guest join link that "Add participant" produces (the patient portal). Empty: the meeting\'s VDX portalLink.',
      'fi-FI': 'Perusosoite vieraan liittymislinkille, jonka "Lisää osallistuja" luo (potilasportaali). Tyhjä: tapaamisen VDX portalLink.',
      'sv-SE': 'Bas för gästens anslutningslänk som "Lägg till deltagare" skapar (patientportalen). Tom: mötets VDX portalLink.',
      'da-DK': 'Basis for gæstens deltagelseslink, som "Tilføj deltager" laver (patientportalen). Tom: mødets VDX portalLink.',
    },
  },
  smsGatewayUrl: {
    name: {
      'en-US': 'SMS gateway URL',
      'fi-FI': 'Tekstiviestiyhdyskäytävän osoite',
      'sv-SE': 'URL till sms-gatewayen',
      'da-DK': 'URL til sms-gatewayen',
    },
    explain: {
      'en-US': "The hospital's SMS gateway for invitations (POST JSON {to, text}). Empty: no SMS.",
      'fi-FI': 'Sairaalan tekstiviestiyhdyskäytävä kutsuille (POST JSON {to, text}). Tyhjä: ei tekstiviestejä.',
      'sv-SE': 'Sjukhusets sms-gateway för inbjudningar (POST JSON {to, text}). Tom: inga sms.',
      'da-DK': 'Hospitalets sms-gateway til invitationer (POST JSON {to, text}). Tom: ingen sms.',
    },
  },
  callMiniView: {
    name: { 'en-US': 'Call mini view', 'fi-FI': 'Puhelun pienoisnäkymä', 'sv-SE': 'Minivy för samtal', 'da-DK': 'Minivisning af opkald' },
    explain: {
      'en-US': 'In the installed app the call window shrinks to a small always-on-top view when the clinician switches to another window (the patient record).',
      'fi-FI': 'Asennetussa sovelluksessa puheluikkuna pienenee aina päällimmäiseksi pienoisnäkymäksi, kun kliinikko siirtyy toiseen ikkunaan (potilaskertomus).',
      'sv-SE': 'I den installerade appen krymper samtalsfönstret till en liten vy som alltid ligger överst när klinikern byter till ett annat fönster (journalen).',
      'da-DK': 'I den installerede app skrumper opkaldsvinduet til en lille visning, der altid er øverst, når klinikeren skifter til et andet vindue (journalen).',
    },
  },
  pexipLockOnHostJoin: {
    name: {
      'en-US': 'Pexip: lock the meeting as the host joins',
      'fi-FI': 'Pexip: lukitse tapaaminen, kun isäntä liittyy',
      'sv-SE': 'Pexip: lås mötet när värden ansluter',
      'da-DK': 'Pexip: lås mødet, når værten deltager',
    },
    explain: {
      'en-US': "The console locks a Pexip meeting as soon as the host joins, so a guest with the PIN waits in the lobby until the host admits them. Off: Pexip's own behaviour (guests with the PIN walk in while a host is there).",
      'fi-FI': 'Konsoli lukitsee Pexip-tapaamisen heti, kun isäntä liittyy, joten PIN-koodin tietävä vieras odottaa aulassa, kunnes isäntä päästää hänet sisään. Pois: Pexipin oma toiminta (vieraat pääsevät PIN-koodilla sisään, kun isäntä on paikalla).',
      'sv-SE': 'Konsolen låser ett Pexip-möte så snart värden ansluter, så att en gäst med PIN-koden väntar i lobbyn tills värden släpper in hen. Av: Pexips eget beteende (gäster med PIN-koden kommer in när en värd är där).',
      'da-DK': 'Konsollen låser et Pexip-møde, så snart værten deltager, så en gæst med PIN-koden venter i lobbyen, indtil værten lukker vedkommende ind. Fra: Pexips egen adfærd (gæster med PIN-koden kommer ind, når en vært er til stede).',
    },
  },
  signOutWhenLocked: {
    name: {
      'en-US': 'Shared workstations: sign out when the screen locks',
      'fi-FI': 'Yhteiskäyttöiset työasemat: kirjaudu ulos, kun näyttö lukitaan',
      'sv-SE': 'Delade arbetsstationer: logga ut när skärmen låses',
      'da-DK': 'Delte arbejdsstationer: log ud, når skærmen låses',
    },
    explain: {
      'en-US':
        'When the workstation locks its screen, the console signs out completely, as its Sign out button does (tokens, the offline schedule, the sign-in service\'s session). A call in progress is never cut: the console signs out when the call ends, and says so.',
      'fi-FI':
        'Kun työaseman näyttö lukitaan, konsoli kirjautuu kokonaan ulos kuten Kirjaudu ulos -painikkeella (tunnukset, offline-aikataulu, kirjautumispalvelun istunto). Käynnissä olevaa puhelua ei katkaista: konsoli kirjautuu ulos, kun puhelu päättyy, ja kertoo siitä.',
      'sv-SE':
        'När arbetsstationen låser skärmen loggar konsolen ut helt, som dess Logga ut-knapp gör (token, offlineschemat, inloggningstjänstens session). Ett pågående samtal avbryts aldrig: konsolen loggar ut när samtalet slutar och säger det.',
      'da-DK':
        'Når arbejdsstationen låser skærmen, logger konsollen helt ud, som dens Log ud-knap gør (tokens, offlineskemaet, logintjenestens session). Et igangværende opkald afbrydes aldrig: konsollen logger ud, når opkaldet slutter, og siger det.',
    },
  },
  signOutAfterIdleMinutes: {
    name: {
      'en-US': 'Shared workstations: sign out after minutes without use',
      'fi-FI': 'Yhteiskäyttöiset työasemat: kirjaudu ulos käyttämättömien minuuttien jälkeen',
      'sv-SE': 'Delade arbetsstationer: logga ut efter minuter utan användning',
      'da-DK': 'Delte arbejdsstationer: log ud efter minutter uden brug',
    },
    explain: {
      'en-US':
        'The console signs out completely after this many minutes without keyboard or mouse use on the workstation (the operating system\'s idle time); 0: never. A call in progress is never cut: the console signs out when the call ends, and says so.',
      'fi-FI':
        'Konsoli kirjautuu kokonaan ulos, kun työaseman näppäimistöä tai hiirtä ei ole käytetty näin moneen minuuttiin (käyttöjärjestelmän joutoaika); 0: ei koskaan. Käynnissä olevaa puhelua ei katkaista: konsoli kirjautuu ulos, kun puhelu päättyy, ja kertoo siitä.',
      'sv-SE':
        'Konsolen loggar ut helt efter så här många minuter utan att tangentbord eller mus har använts på arbetsstationen (operativsystemets vilotid); 0: aldrig. Ett pågående samtal avbryts aldrig: konsolen loggar ut när samtalet slutar och säger det.',
      'da-DK':
        'Konsollen logger helt ud efter så mange minutter uden brug af tastatur eller mus på arbejdsstationen (operativsystemets inaktivitetstid); 0: aldrig. Et igangværende opkald afbrydes aldrig: konsollen logger ud, når opkaldet slutter, og siger det.',
    },
  },
  pexipTestAlias: {
    name: {
      'en-US': 'Pexip: test alias for the readiness check',
      'fi-FI': 'Pexip: valmiustarkistuksen testialias',
      'sv-SE': 'Pexip: testalias för beredskapskontrollen',
      'da-DK': 'Pexip: testalias til parathedstjekket',
    },
    explain: {
      'en-US':
        'The alias of a VMR without a PIN that IT creates for "Check conference servers" (Diagnostics) and npm run check-servers: the check asks a session token for it and gives it back at once. Empty: those steps are skipped. Never a real meeting\'s room.',
      'fi-FI':
        'PIN-koodittoman VMR:n alias, jonka IT luo toimintoa "Tarkista neuvottelupalvelimet" (Diagnostiikka) ja komentoa npm run check-servers varten: tarkistus pyytää sille istuntotunnisteen ja palauttaa sen heti. Tyhjä: nämä vaiheet ohitetaan. Ei koskaan oikean tapaamisen huone.',
      'sv-SE':
        'Aliaset för ett VMR utan PIN som IT skapar för "Kontrollera konferensservrar" (Diagnostik) och npm run check-servers: kontrollen begär en sessionstoken för det och lämnar tillbaka den direkt. Tom: de stegen hoppas över. Aldrig ett riktigt mötes rum.',
      'da-DK':
        'Aliasset for et VMR uden PIN, som IT opretter til "Kontrollér konferenceservere" (Diagnostik) og npm run check-servers: tjekket beder om et sessionstoken til det og afleverer det straks igen. Tom: de trin springes over. Aldrig et rigtigt mødes rum.',
    },
  },
  pexipStatusApi: {
    name: {
      'en-US': 'Pexip: Management API accounts for the waiting badge',
      'fi-FI': 'Pexip: Management API -tilit odotusmerkkiä varten',
      'sv-SE': 'Pexip: Management API-konton för väntemärket',
      'da-DK': 'Pexip: Management API-konti til ventemærket',
    },
    explain: {
      'en-US':
        'For each Pexip domain of conferenceServers, a read-only Management API account: {"domain", "url": <Management Node, https>, "username", "password"}. Without one, that server\'s meetings show no waiting badge. Whoever can read this policy can read the password (the registry; for a GPO also SYSVOL): give a read-only account.',
      'fi-FI':
        'Kullekin conferenceServers-luettelon Pexip-toimialueelle vain luku -oikeuksinen Management API -tili: {"domain", "url": <Management Node, https>, "username", "password"}. Ilman sitä palvelimen tapaamisissa ei näy odottajien merkkiä. Jokainen, joka voi lukea tämän käytännön, voi lukea salasanan (rekisteri; GPO:lle myös SYSVOL): käytä vain luku -tiliä.',
      'sv-SE':
        'För varje Pexip-domän i conferenceServers ett skrivskyddat Management API-konto: {"domain", "url": <Management Node, https>, "username", "password"}. Utan ett konto visar den serverns möten inget väntemärke. Den som kan läsa denna princip kan läsa lösenordet (registret; för ett GPO även SYSVOL): använd ett skrivskyddat konto.',
      'da-DK':
        'For hvert Pexip-domæne i conferenceServers en skrivebeskyttet Management API-konto: {"domain", "url": <Management Node, https>, "username", "password"}. Uden en konto viser den servers møder intet ventemærke. Den, der kan læse denne politik, kan læse adgangskoden (registreringsdatabasen; for et GPO også SYSVOL): brug en skrivebeskyttet konto.',
    },
  },
  janusTestRooms: {
    name: {
      'en-US': 'Janus: test rooms for the readiness check',
      'fi-FI': 'Janus: valmiustarkistuksen testihuoneet',
      'sv-SE': 'Janus: testrum för beredskapskontrollen',
      'da-DK': 'Janus: testrum til parathedstjekket',
    },
    explain: {
      'en-US':
        'For each Janus domain of conferenceServers, the room guard\'s test room: {"domain", "room", "hostPin"}, as set on the guard with GUARD_TEST_ROOM and GUARD_TEST_ROOM_PIN. "Check conference servers" joins it as its host to prove that admission works. Without one, that step is skipped. Whoever can read this policy can read the PIN: the guard gives the room one publisher and no guest PIN, so it serves no meeting.',
      'fi-FI':
        'Kullekin conferenceServers-luettelon Janus-toimialueelle huonevartijan testihuone: {"domain", "room", "hostPin"}, kuten vartijalle on asetettu muuttujilla GUARD_TEST_ROOM ja GUARD_TEST_ROOM_PIN. "Tarkista neuvottelupalvelimet" liittyy siihen isäntänä ja osoittaa, että sisäänpääsy toimii. Ilman sitä vaihe ohitetaan. Jokainen, joka voi lukea tämän käytännön, voi lukea PIN-koodin: vartija antaa huoneelle yhden lähettäjän eikä vieraan PIN-koodia, joten siinä ei voi pitää tapaamista.',
      'sv-SE':
        'För varje Janus-domän i conferenceServers rumsvaktens testrum: {"domain", "room", "hostPin"}, som de är satta på vakten med GUARD_TEST_ROOM och GUARD_TEST_ROOM_PIN. "Kontrollera konferensservrar" ansluter som värd för att visa att insläppet fungerar. Utan ett testrum hoppas steget över. Den som kan läsa denna princip kan läsa PIN-koden: vakten ger rummet en sändare och ingen gäst-PIN, så det kan inte användas för möten.',
      'da-DK':
        'For hvert Janus-domæne i conferenceServers rumvagtens testrum: {"domain", "room", "hostPin"}, som de er sat på vagten med GUARD_TEST_ROOM og GUARD_TEST_ROOM_PIN. "Kontrollér konferenceservere" deltager som vært for at vise, at adgangen virker. Uden et testrum springes trinnet over. Den, der kan læse denne politik, kan læse PIN-koden: vagten giver rummet én afsender og ingen gæste-PIN, så det kan ikke bruges til møder.',
    },
  },
  allowUserSettingsFile: {
    name: {
      'en-US': "Allow the user's settings file",
      'fi-FI': 'Salli käyttäjän asetustiedosto',
      'sv-SE': 'Tillåt användarens inställningsfil',
      'da-DK': 'Tillad brugerens indstillingsfil',
    },
    explain: {
      'en-US': "An installed console also reads the user's settings file named by CLINICIAN_CONSOLE_CONFIG (policy still wins).",
      'fi-FI': 'Asennettu konsoli lukee myös käyttäjän asetustiedoston, jonka CLINICIAN_CONSOLE_CONFIG nimeää (käytäntö voittaa silti).',
      'sv-SE': 'En installerad konsol läser också användarens inställningsfil som CLINICIAN_CONSOLE_CONFIG anger (principen gäller ändå före).',
      'da-DK': 'En installeret konsol læser også brugerens indstillingsfil, som CLINICIAN_CONSOLE_CONFIG angiver (politikken går stadig forud).',
    },
  },
};

/** Strings the templates need besides the keys' own. */
export const COMMON = {
  product: { 'en-US': 'Clinician Console', 'fi-FI': 'Clinician Console', 'sv-SE': 'Clinician Console', 'da-DK': 'Clinician Console' },
  fileName: {
    'en-US': 'Clinician Console policy settings',
    'fi-FI': 'Clinician Console -käytäntöasetukset',
    'sv-SE': 'Principinställningar för Clinician Console',
    'da-DK': 'Politikindstillinger for Clinician Console',
  },
  fileDescription: {
    'en-US': 'Machine policy for Clinician Console, generated from its settings schema. Every setting set here is locked for the user.',
    'fi-FI': 'Clinician Consolen konekohtainen käytäntö, luotu sen asetusskeemasta. Jokainen tässä asetettu asetus on käyttäjälle lukittu.',
    'sv-SE': 'Datorprincip för Clinician Console, genererad från dess inställningsschema. Varje inställning som anges här är låst för användaren.',
    'da-DK': 'Computerpolitik for Clinician Console, genereret ud fra dens indstillingsskema. Hver indstilling, der angives her, er låst for brugeren.',
  },
} satisfies Record<string, Localized>;

/** The generated lines under each explain text: where the value goes and how it behaves. */
export const FOOTER: Record<
  Language,
  {
    value: (name: string, type: string, key: string) => string;
    defaultIs: (value: string) => string;
    boolean: string;
    notSet: string;
    notSetPolicyOnly: string;
    perLine: string;
    jsonPerLine: string;
    policyOnly: string;
  }
> = {
  'en-US': {
    value: (name, type, key) => `Registry value ${name} (${type}) in ${key}.`,
    defaultIs: (value) => `Default: ${value}.`,
    boolean: 'Enabled: true. Disabled: false.',
    notSet: "Disabled or Not configured: the default, or the user's settings file where policy allows one.",
    notSetPolicyOnly: 'Disabled or Not configured: the default.',
    perLine: 'One entry per line.',
    jsonPerLine: 'One JSON object per line.',
    policyOnly: 'Policy only: a settings file may not set it.',
  },
  'fi-FI': {
    value: (name, type, key) => `Rekisteriarvo ${name} (${type}) avaimessa ${key}.`,
    defaultIs: (value) => `Oletus: ${value}.`,
    boolean: 'Käytössä: true. Ei käytössä: false.',
    notSet: 'Ei käytössä tai Ei määritetty: oletusarvo tai käyttäjän asetustiedosto, jos käytäntö sallii sen.',
    notSetPolicyOnly: 'Ei käytössä tai Ei määritetty: oletusarvo.',
    perLine: 'Yksi kohta riviä kohden.',
    jsonPerLine: 'Yksi JSON-objekti riviä kohden.',
    policyOnly: 'Vain käytäntö: asetustiedosto ei voi asettaa tätä.',
  },
  'sv-SE': {
    value: (name, type, key) => `Registervärdet ${name} (${type}) i ${key}.`,
    defaultIs: (value) => `Standard: ${value}.`,
    boolean: 'Aktiverad: true. Inaktiverad: false.',
    notSet: 'Inaktiverad eller Inte konfigurerad: standardvärdet, eller användarens inställningsfil där principen tillåter en.',
    notSetPolicyOnly: 'Inaktiverad eller Inte konfigurerad: standardvärdet.',
    perLine: 'En post per rad.',
    jsonPerLine: 'Ett JSON-objekt per rad.',
    policyOnly: 'Endast princip: en inställningsfil får inte ange den.',
  },
  'da-DK': {
    value: (name, type, key) => `Registreringsværdien ${name} (${type}) i ${key}.`,
    defaultIs: (value) => `Standard: ${value}.`,
    boolean: 'Aktiveret: true. Deaktiveret: false.',
    notSet: 'Deaktiveret eller Ikke konfigureret: standardværdien, eller brugerens indstillingsfil, hvor politikken tillader en.',
    notSetPolicyOnly: 'Deaktiveret eller Ikke konfigureret: standardværdien.',
    perLine: 'Én post pr. linje.',
    jsonPerLine: 'Ét JSON-objekt pr. linje.',
    policyOnly: 'Kun politik: en indstillingsfil må ikke angive den.',
  },
};

/**
 * Every key has its texts in every language (and a label for each choice of an enumeration),
 * and no texts are kept for a key the schema does not have. Throws naming what is wrong.
 */
export function checkTexts(keys: readonly PolicyKey[], texts: Readonly<Record<string, KeyTexts>> = KEY_TEXTS): void {
  const problems: string[] = [];
  const names = new Set<string>(keys.map((k) => k.name));
  for (const name of Object.keys(texts)) if (!names.has(name)) problems.push(`texts for "${name}", which is not a setting`);
  for (const key of keys) {
    const entry = texts[key.name];
    if (!entry) {
      problems.push(`"${key.name}" has no texts`);
      continue;
    }
    for (const language of LANGUAGES) {
      if (!entry.name[language]?.trim()) problems.push(`"${key.name}" has no ${language} name`);
      if (!entry.explain[language]?.trim()) problems.push(`"${key.name}" has no ${language} explain text`);
    }
    const values = key.kind.type === 'enum' ? key.kind.values : [];
    for (const value of values)
      for (const language of LANGUAGES)
        if (!entry.items?.[value]?.[language]?.trim()) problems.push(`"${key.name}" has no ${language} label for "${value}"`);
    for (const value of Object.keys(entry.items ?? {}))
      if (!values.includes(value)) problems.push(`"${key.name}" has a label for "${value}", which is not one of its values`);
  }
  if (problems.length) throw new Error(`Policy template texts (scripts/policy-templates/texts.ts): ${problems.join('; ')}.`);
}
