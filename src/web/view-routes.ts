import express, { type Request, type Response, type Router } from 'express';
import { ACTIONS, COMMANDS } from '../commands/catalog';
import { createCommandCore } from '../commands/core';
import type { CorePorts } from '../commands/ports';
import type { Caller, TenancyPort } from '../commands/ports/tenancy';
import type { Logger } from '../config/logger';
import { escapeHtml, markupToPlain } from '../chat/markup';
import { htmlDocument, renderReplyHtml } from '../chat/render-html';
import { verifyViewLink, type LinkCheck, type ViewTarget } from '../domain/view-links';
import { usageViewHandler } from './usage-view';

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

const FOOTER = 'IEX ChatOps · a read-only page, opened with a signed link';

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

  const page = (res: Response, status: number, title: string, body: string) => {
    res
      .status(status)
      .set(SECURITY_HEADERS)
      .type('html')
      .send(htmlDocument({ title, body, footer: FOOTER }));
  };
  const message = (res: Response, status: number, title: string, text: string) =>
    page(res, status, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);

  /** True when the link may be shown; otherwise the refusal is sent. */
  const checked = (req: Request, res: Response, target: ViewTarget, expiredHint: string): boolean => {
    const check: LinkCheck = verifyViewLink(target, req.query, secret, now());
    if (check === 'ok') return true;
    log.info({ kind: target.kind, tenantId: target.tenantId, check }, 'view link refused');
    if (check === 'expired') {
      message(res, 410, 'This link has expired', `This link has expired — ${expiredHint}`);
    } else {
      message(
        res,
        401,
        'This link is not valid',
        'The link is incomplete or was changed. Open it from the message again.',
      );
    }
    return false;
  };

  const router = express.Router();

  router.get('/transfer/:tenantId/:transferId', async (req: Request<{ tenantId: string; transferId: string }>, res) => {
    const { tenantId, transferId } = req.params;
    const target: ViewTarget = { kind: 'transfer', tenantId, transferId };
    if (!checked(req, res, target, `ask for the transfer in Slack or Discord with /iex log ${transferId}`)) return;
    if (!(await ports.transfers.get(tenantId, transferId))) {
      message(
        res,
        404,
        'Transfer not found',
        'This transfer is no longer kept: only the latest transfers are. /iex log in Slack or Discord shows those.',
      );
      return;
    }
    // Encoded by hand: the action never goes to a chat platform, so its 100-character limit does not apply.
    const reply = await core.handleAction(caller(tenantId), `log.show?${new URLSearchParams({ id: transferId })}`);
    log.info({ kind: 'transfer', tenantId }, 'view link opened');
    page(res, 200, markupToPlain(reply.fallback), renderReplyHtml(reply, { chatButtons: 'omit' }));
  });

  router.get('/subscription/:tenantId', async (req: Request<{ tenantId: string }>, res) => {
    const { tenantId } = req.params;
    const target: ViewTarget = { kind: 'subscription', tenantId };
    if (!checked(req, res, target, 'see the subscription in Slack or Discord with /iex subscription')) return;
    if (!(await ports.tenancy.resolveTenant(caller(tenantId)))) {
      message(res, 404, 'Integration not found', 'This integration no longer exists.');
      return;
    }
    const reply = await core.handleCommand(caller(tenantId), 'subscription');
    log.info({ kind: 'subscription', tenantId }, 'view link opened');
    page(res, 200, markupToPlain(reply.fallback), renderReplyHtml(reply, { chatButtons: 'omit' }));
  });

  router.get('/usage/:tenantId', usageViewHandler({ ports, secret, logger, headers: SECURITY_HEADERS, now }));

  return router;
}
