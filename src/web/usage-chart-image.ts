import type { Request, RequestHandler, Response } from 'express';
import type { ChartImage, ChartsPort, UsageChartRequest } from '../commands/ports/charts';
import type { Logger } from '../config/logger';
import { ENTITIES, type Entity } from '../domain/events';
import { verifyViewLink, type ViewLinks } from '../domain/view-links';
import { LANGUAGES, type Language } from '../i18n';

/**
 * The usage chart as a PNG behind a signed, expiring link: what Slack shows in an image block
 * (`image_url`), which it fetches itself — in ephemeral replies and on the App Home tab, where an
 * uploaded file cannot go. It takes the signature of the tenant's usage page (kind `usage`, the
 * tenant, the expiry), so a link shows one tenant's charts only; period, entity, size and
 * language are plain query values, since every chart of the tenant's usage is the tenant's to read.
 */

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
/** Below the usage page's path: `/view/usage/:tenantId` + this. */
export const CHART_IMAGE_SUFFIX = '/chart.png';

/** The PNG's link, made from the signed link of the tenant's usage page. */
export function chartImageLink(
  pageLink: string,
  { entity, size, language }: Pick<UsageChartRequest, 'entity' | 'size' | 'language'>,
): string {
  const url = new URL(pageLink);
  url.pathname += CHART_IMAGE_SUFFIX;
  if (entity) url.searchParams.set('entity', entity);
  url.searchParams.set('size', size ?? 'full');
  url.searchParams.set('lang', language);
  return url.toString();
}

/**
 * The charts port with a signed link on every chart (PUBLIC_URL set: the platforms can reach the
 * service), so Slack shows the picture inline instead of receiving it as an upload.
 */
export function withChartLinks(charts: ChartsPort, links: Pick<ViewLinks, 'usage'>): ChartsPort {
  return {
    async usageChart(request): Promise<ChartImage> {
      const chart = await charts.usageChart(request);
      const period = /usage-(\d{4}-\d{2})/.exec(chart.fileName)?.[1];
      return { ...chart, url: chartImageLink(links.usage(request.tenantId, period), request) };
    },
  };
}

export interface UsageChartImageDeps {
  charts: ChartsPort;
  /** LINK_SECRET, the one the links were signed with. */
  secret: string;
  logger: Logger;
  now?: () => Date;
}

/** GET /view/usage/:tenantId/chart.png?exp&sig[&period][&entity][&size][&lang]: one chart as PNG. */
export function usageChartImageHandler({
  charts,
  secret,
  logger,
  now = () => new Date(),
}: UsageChartImageDeps): RequestHandler {
  const log = logger.child({ component: 'view-routes' });
  const refuse = (res: Response, status: number, error: string) =>
    res.status(status).set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }).json({ error });

  return async (req: Request, res: Response) => {
    const tenantId = String(req.params.tenantId);
    const check = verifyViewLink({ kind: 'usage', tenantId }, req.query, secret, now());
    if (check !== 'ok') {
      log.info({ kind: 'usage-image', tenantId, check }, 'view link refused');
      refuse(res, check === 'expired' ? 410 : 401, check === 'expired' ? 'expired' : 'invalid_link');
      return;
    }
    const { period, entity, size, lang } = req.query;
    if (period !== undefined && (typeof period !== 'string' || !PERIOD.test(period)))
      return refuse(res, 400, 'bad_period');
    if (entity !== undefined && !ENTITIES.includes(entity as Entity)) return refuse(res, 400, 'bad_entity');
    if (size !== undefined && size !== 'small' && size !== 'full') return refuse(res, 400, 'bad_size');
    if (lang !== undefined && !LANGUAGES.includes(lang as Language)) return refuse(res, 400, 'bad_language');
    try {
      const chart = await charts.usageChart({
        tenantId,
        ...(period ? { period: period as string } : {}),
        ...(entity ? { entity: entity as Entity } : {}),
        language: (lang as Language | undefined) ?? 'da',
        size: (size as 'small' | 'full' | undefined) ?? 'full',
        now: now(),
      });
      res
        .status(200)
        .set({
          'Content-Type': 'image/png',
          // Slack's image proxy fetches it once per message; new usage makes a new chart, not a new link.
          'Cache-Control': 'private, max-age=300',
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
        })
        .send(chart.png);
    } catch (error) {
      // A tenant erased since the link was made has no usage to draw; anything else is logged.
      log.warn({ err: error, tenantId }, 'could not draw the usage chart of a signed link');
      refuse(res, 404, 'not_found');
    }
  };
}
