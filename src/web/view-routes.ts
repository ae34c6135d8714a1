import express, { type Request, type Response, type Router } from 'express';
import { ACTIONS, COMMANDS } from '../commands/catalog';
import { createCommandCore } from '../commands/core';
import type { CorePorts } from '../commands/ports';
import type { Caller, TenancyPort } from '../commands/ports/tenancy';
import type { Logger } from '../config/logger';
import { escapeHtml, markupToPlain } from '../chat/markup';
import { htmlDocument, renderReplyHtml } from '../chat/render-html';
import { verifyViewLink, type LinkCheck, type ViewTarget } from '../domain/view-links';
import { pickLanguage, translator, type Translator } from '../i18n';
import { browserTranslator } from './browser-language';
import { usageViewHandler } from './usage-view';
import { CHART_IMAGE_SUFFIX, usageChartImageHandler } from './usage-chart-image';

export interface ViewRoutesDeps {
  /** The store's ports, as the command core gets them; the pages use them read-only. */
  ports: CorePorts;
  /** LINK_SECRET, the one the links were signed with (src/domain/view-links.ts). */
  secret: string;
  logger: Logger;
  now?: () => Date;
}

/** What a page shows, as the command core shows it in chat. */
const PAGE_COMMANDS = COMMANDS.filter((command) => command.name === 'subscription');
const PAGE_ACTIONS = ACTIONS.filter((action) => action.id === 'log.show');

/** Nothing from elsewhere may load or run: the page is text and its own inline styles. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The URL carries the signature: it must not leave with a click on a link of the page.
  'Referrer-Policy': 'no-referrer',
};

/** Every person behind a link is a viewer: the core refuses what needs more, whatever the tenant's members. */
function viewerTenancy(tenancy: TenancyPort): TenancyPort {
  return {
    resolveTenant: (caller) => tenancy.resolveTenant(caller),
    roleOf: async () => 'viewer',
    languageOf: (tenantId) => tenancy.languageOf(tenantId),
    link: async () => 'invalid',
  };
}

/**
 * GET /view/transfer/:tenantId/:transferId and GET /view/subscription/:tenantId: the pages that
 * signed links in mails and chat open (src/domain/view-links.ts). The signature is checked first (401
 * when missing or wrong, 410 when expired); the page is the command core's own reply — `/iex log
 * TRANSFER_ID`'s detail, `/iex subscription` — run for a read-only viewer of that tenant and
 * rendered as HTML without buttons that change anything.
 */
export function createViewRoutes({ ports, secret, logger, now = () => new Date() }: ViewRoutesDeps): Router {
  const core = createCommandCore({
    ports: { ...ports, tenancy: viewerTenancy(ports.tenancy) },
    logger,
    commands: PAGE_COMMANDS,
    actions: PAGE_ACTIONS,
    clock: now,
  });
  const log = logger.child({ component: 'view-routes' });
  // The console's way in: it names the tenant, which resolveTenant checks exists.
  const caller = (tenantId: string): Caller => ({
    platform: 'console',
    userId: 'view-link',
    workspaceId: tenantId,
    displayName: 'view link',
  });

  const page = (res: Response, status: number, t: Translator, title: string, body: string) => {
    res
      .status(status)
      .set(SECURITY_HEADERS)
      .type('html')
      .send(htmlDocument({ title, body, footer: t.t('view.footer'), lang: t.language }));
  };
  const message = (res: Response, status: number, t: Translator, title: string, text: string) =>
    page(res, status, t, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
  /** The page's language: the tenant's (undefined when there is no such tenant). */
  const tenantTranslator = async (tenantId: string): Promise<Translator | undefined> => {
    const language = await ports.tenancy.languageOf(tenantId);
    return language === undefined ? undefined : translator(pickLanguage(undefined, language));
  };

  /**
   * True when the link may be shown; otherwise the refusal is sent, in the browser's language:
   * until the signature holds, nothing says which tenant is asking.
   */
  const checked = (req: Request, res: Response, target: ViewTarget, expired: (t: Translator) => string): boolean => {
    const check: LinkCheck = verifyViewLink(target, req.query, secret, now());
    if (check === 'ok') return true;
    log.info({ kind: target.kind, tenantId: target.tenantId, check }, 'view link refused');
    const t = browserTranslator(req);
    if (check === 'expired') message(res, 410, t, t.t('view.expiredTitle'), expired(t));
    else message(res, 401, t, t.t('view.invalidTitle'), t.t('view.invalid'));
    return false;
  };

  const router = express.Router();

  router.get('/transfer/:tenantId/:transferId', async (req: Request<{ tenantId: string; transferId: string }>, res) => {
    const { tenantId, transferId } = req.params;
    const target: ViewTarget = { kind: 'transfer', tenantId, transferId };
    if (!checked(req, res, target, (t) => t.t('view.expired.transfer', { transferId }))) return;
    const t = (await tenantTranslator(tenantId)) ?? browserTranslator(req);
    if (!(await ports.transfers.get(tenantId, transferId))) {
      message(res, 404, t, t.t('view.transferGoneTitle'), t.t('view.transferGone'));
      return;
    }
    // Encoded by hand: the action never goes to a chat platform, so its 100-character limit does not apply.
    const reply = await core.handleAction(caller(tenantId), `log.show?${new URLSearchParams({ id: transferId })}`);
    log.info({ kind: 'transfer', tenantId }, 'view link opened');
    page(res, 200, t, markupToPlain(reply.fallback), renderReplyHtml(reply, { chatButtons: 'omit' }));
  });

  router.get('/subscription/:tenantId', async (req: Request<{ tenantId: string }>, res) => {
    const { tenantId } = req.params;
    const target: ViewTarget = { kind: 'subscription', tenantId };
    if (!checked(req, res, target, (t) => t.t('view.expired.subscription'))) return;
    const t = await tenantTranslator(tenantId);
    if (!t) {
      const asked = browserTranslator(req);
      message(res, 404, asked, asked.t('view.integrationGoneTitle'), asked.t('view.integrationGone'));
      return;
    }
    const reply = await core.handleCommand(caller(tenantId), 'subscription');
    log.info({ kind: 'subscription', tenantId }, 'view link opened');
    page(res, 200, t, markupToPlain(reply.fallback), renderReplyHtml(reply, { chatButtons: 'omit' }));
  });

  router.get('/usage/:tenantId', usageViewHandler({ ports, secret, logger, headers: SECURITY_HEADERS, now }));
  router.get(
    `/usage/:tenantId${CHART_IMAGE_SUFFIX}`,
    usageChartImageHandler({ charts: ports.charts, secret, logger, now }),
  );

  return router;
}
