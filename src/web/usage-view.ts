import type { Request, RequestHandler, Response } from 'express';
import { escapeHtml } from '../chat/markup';
import { htmlDocument } from '../chat/render-html';
import type { CorePorts } from '../commands/ports';
import type { Logger } from '../config/logger';
import { ENTITIES, type Entity } from '../domain/events';
import { verifyViewLink } from '../domain/view-links';
import { pickLanguage, translator, type Language, type Translator } from '../i18n';
import { periodLabel } from '../services/charts/usage-spec';
import { previousPeriodOf } from '../services/charts/usage-series';
import { browserTranslator } from './browser-language';

export interface UsageViewDeps {
  ports: Pick<CorePorts, 'charts' | 'tenancy'>;
  /** LINK_SECRET, the one the links were signed with. */
  secret: string;
  logger: Logger;
  /** The page's security headers, as the other view pages send them. */
  headers: Readonly<Record<string, string>>;
  now?: () => Date;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The chart's SVG scales down to the page's width; the SVG keeps its own aspect ratio. */
const CHART_STYLE = 'main { max-width: 1320px; } figure { margin: 16px 0; } figure svg { width: 100%; height: auto; }';

/**
 * GET /view/usage/:tenantId[?period=YYYY-MM][&entity=order]: the usage charts (forbrugshistorik) of
 * one tenant as SVG, one per entity, in the tenant's language, behind a signed link
 * (src/domain/view-links.ts) whose signed part names the tenant: 401 when missing or changed,
 * 410 when expired. Refusals are in the language the browser asks for, since who asks is unknown.
 */
export function usageViewHandler({
  ports,
  secret,
  logger,
  headers,
  now = () => new Date(),
}: UsageViewDeps): RequestHandler {
  const log = logger.child({ component: 'view-routes' });
  const page = (res: Response, status: number, language: Language, title: string, body: string) =>
    res
      .status(status)
      .set(headers)
      .type('html')
      .send(
        htmlDocument({
          title,
          body,
          footer: translator(language).t('view.footer'),
          lang: language,
        }),
      );
  const message = (res: Response, status: number, t: Translator, title: string, text: string) =>
    page(res, status, t.language, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);

  return async (req: Request, res: Response) => {
    const tenantId = String(req.params.tenantId);
    const asked = browserTranslator(req);
    const check = verifyViewLink({ kind: 'usage', tenantId }, req.query, secret, now());
    if (check !== 'ok') {
      log.info({ kind: 'usage', tenantId, check }, 'view link refused');
      if (check === 'expired') {
        message(res, 410, asked, asked.t('view.expiredTitle'), asked.t('charts.page.expired'));
      } else {
        message(res, 401, asked, asked.t('view.invalidTitle'), asked.t('view.invalid'));
      }
      return;
    }
    const language = await ports.tenancy.languageOf(tenantId);
    if (language === undefined) {
      message(res, 404, asked, asked.t('view.integrationGoneTitle'), asked.t('view.integrationGone'));
      return;
    }
    const t = translator(pickLanguage(undefined, language));
    const { period, entity } = req.query;
    if (period !== undefined && (typeof period !== 'string' || !PERIOD.test(period))) {
      message(res, 400, t, t.t('charts.page.badPeriod'), t.t('charts.page.badPeriod'));
      return;
    }
    const entities: readonly Entity[] = ENTITIES.includes(entity as Entity) ? [entity as Entity] : ENTITIES;
    const at = now();
    const charts = await Promise.all(
      entities.map((which) =>
        ports.charts.usageChart({
          tenantId,
          ...(period ? { period } : {}),
          entity: which,
          language: t.language,
          theme: 'light',
          size: 'full',
          now: at,
        }),
      ),
    );
    // The port names the file after the period it drew (`usage-2026-12-order.png`): the current one when none was asked.
    const shown = /usage-(\d{4}-\d{2})/.exec(charts[0]!.fileName)![1]!;
    const title = t.t('charts.page.title', {
      previous: periodLabel(t, previousPeriodOf(shown)),
      current: periodLabel(t, shown),
    });
    const figures = charts.map(
      // The SVG is Vega's own serialisation of our spec: its texts are escaped by Vega.
      (chart) =>
        `<figure role="img" aria-label="${escapeHtml(chart.alt)}">\n${chart.svg}\n<figcaption class="context">${escapeHtml(chart.alt)}</figcaption>\n</figure>`,
    );
    log.info({ kind: 'usage', tenantId }, 'view link opened');
    page(
      res,
      200,
      t.language,
      title,
      [
        `<style>${CHART_STYLE}</style>`,
        `<h1>${escapeHtml(title)}</h1>`,
        `<p>${escapeHtml(t.t('charts.page.text'))}</p>`,
        ...figures,
      ].join('\n'),
    );
  };
}
