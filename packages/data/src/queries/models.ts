// Model registry queries over `models` and `promotions`, shared by both drivers: register a candidate, record the
// promotion gate's decisions, and find the model served for an asset and horizon. Node only via the Orm it is
// given; must not import a driver.
import { and, count, desc, eq, inArray, isNull, like, or, sql } from 'drizzle-orm';
import type { Orm } from '../database.ts';
import { models, promotions, type ModelScope, type PromotionDecision } from '../schema.ts';

/**
 * A registered model version. `location` is the artifact folder relative to the artifacts root
 * (`<SYMBOL>/<h>d/<version>`; resolveArtifactLocation reads it), `digest` the sha256 of its metadata.json as
 * registered (null for a row from before digests), which every loader checks.
 */
export interface ModelRecord {
  id: number;
  symbol: string;
  scope: ModelScope;
  horizonDays: number;
  version: string;
  location: string;
  metrics: Record<string, unknown>;
  metadata: Record<string, unknown>;
  digest: string | null;
  createdAtMs: number;
}

type ModelRow = typeof models.$inferSelect;

function toRecord(r: ModelRow): ModelRecord {
  return {
    id: r.id,
    symbol: r.symbol,
    scope: r.scope,
    horizonDays: r.horizonDays,
    version: r.version,
    location: r.location,
    metrics: r.metrics,
    metadata: r.metadata,
    digest: r.digest,
    createdAtMs: r.createdAt.getTime(),
  };
}

/** What registerModel takes. */
export type NewModel = Omit<ModelRecord, 'id' | 'createdAtMs' | 'scope'> & { scope?: ModelScope; createdAtMs?: number };

/** Registers a model version (or updates its location, metrics, metadata and digest when it exists); returns its id. */
export async function registerModel(orm: Orm, model: NewModel): Promise<number> {
  const [row] = await orm
    .insert(models)
    .values({ ...model, scope: model.scope ?? 'asset', createdAt: new Date(model.createdAtMs ?? Date.now()) })
    .onConflictDoUpdate({
      target: [models.symbol, models.horizonDays, models.version],
      set: { location: sql`excluded.location`, metrics: sql`excluded.metrics`, metadata: sql`excluded.metadata`, digest: sql`excluded.digest` },
    })
    .returning({ id: models.id });
  return row!.id;
}

/** Rows the CLI upgrades on open: an absolute location (from before relative ones) or no digest. */
export async function modelsToUpgrade(orm: Orm): Promise<ModelRecord[]> {
  const rows = await orm.select().from(models).where(or(isNull(models.digest), like(models.location, '/%')));
  return rows.map(toRecord);
}

/** Sets the location and/or digest of one registered model (the upgrade of a row from before them). */
export async function updateModelArtifact(orm: Orm, id: number, change: { location?: string; digest?: string }): Promise<void> {
  if (change.location === undefined && change.digest === undefined) return;
  await orm.update(models).set(change).where(eq(models.id, id));
}

/** Every registered model, newest first. */
export async function listModels(orm: Orm): Promise<ModelRecord[]> {
  const rows = await orm.select().from(models).orderBy(desc(models.createdAt), models.symbol, models.horizonDays);
  return rows.map(toRecord);
}

/** The newest registered model of `symbol` at `horizonDays` (a candidate or not), or null. */
export async function latestModel(orm: Orm, symbol: string, horizonDays: number): Promise<ModelRecord | null> {
  const [row] = await orm
    .select()
    .from(models)
    .where(and(eq(models.symbol, symbol), eq(models.horizonDays, horizonDays)))
    .orderBy(desc(models.createdAt), desc(models.version))
    .limit(1);
  return row ? toRecord(row) : null;
}

/** One decision of the promotion gate. */
export interface PromotionRecord {
  id: number;
  symbol: string;
  horizonDays: number;
  modelId: number;
  previousModelId: number | null;
  decision: PromotionDecision;
  evidence: Record<string, unknown>;
  createdAtMs: number;
}

/** Records one decision of the gate and returns its id. */
export async function recordPromotion(orm: Orm, p: Omit<PromotionRecord, 'id' | 'createdAtMs'> & { createdAtMs?: number }): Promise<number> {
  const [row] = await orm
    .insert(promotions)
    .values({ ...p, symbol: p.symbol.toUpperCase(), createdAt: new Date(p.createdAtMs ?? Date.now()) })
    .returning({ id: promotions.id });
  return row!.id;
}

/** The gate's decisions, newest first; for one asset and horizon when given. */
export async function listPromotions(orm: Orm, filter: { symbol?: string; horizonDays?: number } = {}): Promise<PromotionRecord[]> {
  const where = [
    ...(filter.symbol ? [eq(promotions.symbol, filter.symbol.toUpperCase())] : []),
    ...(filter.horizonDays ? [eq(promotions.horizonDays, filter.horizonDays)] : []),
  ];
  const rows = await orm.select().from(promotions).where(where.length ? and(...where) : undefined).orderBy(desc(promotions.createdAt), desc(promotions.id));
  return rows.map((r) => ({ ...r, createdAtMs: r.createdAt.getTime() }));
}

/** A gate decision as the model card shows it: the versions it compared and the numbers it compared them by. */
export interface GateDecisionView {
  decision: PromotionDecision;
  decidedAtMs: number;
  candidateVersion: string;
  candidateScope: ModelScope;
  previousVersion: string | null;
  /** What runPromotionGate stored: the rows, the held-out days, both models' scores and the reason in words. */
  evidence: Record<string, unknown>;
}

/** The gate's decisions for one asset and horizon, newest first, with the model versions they name. */
export async function gateDecisions(orm: Orm, symbol: string, horizonDays: number, limit = 10): Promise<GateDecisionView[]> {
  const decisions = (await listPromotions(orm, { symbol, horizonDays })).slice(0, limit);
  const ids = [...new Set(decisions.flatMap((d) => (d.previousModelId === null ? [d.modelId] : [d.modelId, d.previousModelId])))];
  const rows = ids.length ? await orm.select({ id: models.id, version: models.version, scope: models.scope }).from(models).where(inArray(models.id, ids)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return decisions.map((d) => ({
    decision: d.decision,
    decidedAtMs: d.createdAtMs,
    candidateVersion: byId.get(d.modelId)?.version ?? `#${d.modelId}`,
    candidateScope: byId.get(d.modelId)?.scope ?? 'asset',
    previousVersion: d.previousModelId === null ? null : (byId.get(d.previousModelId)?.version ?? `#${d.previousModelId}`),
    evidence: d.evidence,
  }));
}

/**
 * The model served for `symbol` at `horizonDays`: the model of the newest promotion ('promoted' or 'forced') of
 * that asset; for a registry from before the gate (no decision at all for the pair), its newest model; for an
 * asset no model was promoted for, the newest promoted pooled model of the horizon that the gate did not keep out
 * for it (a pooled model predicts assets it never saw).
 * Null when none applies.
 */
export async function servedModel(orm: Orm, symbol: string, horizonDays: number): Promise<ModelRecord | null> {
  const sym = symbol.toUpperCase();
  const byId = async (id: number) => toRecord((await orm.select().from(models).where(eq(models.id, id)))[0]!);
  const decisions = await listPromotions(orm, { symbol: sym, horizonDays });
  const served = decisions.find((d) => d.decision !== 'kept');
  if (served) return byId(served.modelId);
  if (decisions.length === 0) {
    const legacy = await latestModel(orm, sym, horizonDays);
    if (legacy) return legacy;
  }
  // A pooled model the gate kept out for this asset never serves it, even where it serves others.
  const keptOut = new Set(decisions.map((d) => d.modelId));
  const pooled = await orm
    .select({ modelId: promotions.modelId })
    .from(promotions)
    .innerJoin(models, eq(models.id, promotions.modelId))
    .where(and(eq(promotions.horizonDays, horizonDays), eq(models.scope, 'pooled'), inArray(promotions.decision, ['promoted', 'forced'])))
    .orderBy(desc(promotions.createdAt), desc(promotions.id));
  const fallback = pooled.find((p) => !keptOut.has(p.modelId));
  return fallback ? byId(fallback.modelId) : null;
}

/** Number of registered model versions. */
export async function countModels(orm: Orm): Promise<number> {
  const [row] = await orm.select({ n: count() }).from(models);
  return Number(row?.n ?? 0);
}

/**
 * The horizons at which a model serves each of `symbols` (servedModel is not null): its own promotions, its
 * models from before the gate, and every horizon with a promoted pooled model (which serves any asset).
 */
export async function servedHorizons(orm: Orm, symbols: readonly string[]): Promise<Map<string, number[]>> {
  const [decisions, all] = await Promise.all([
    orm.select({ symbol: promotions.symbol, horizonDays: promotions.horizonDays, decision: promotions.decision, scope: models.scope })
      .from(promotions).innerJoin(models, eq(models.id, promotions.modelId)),
    orm.select({ symbol: models.symbol, horizonDays: models.horizonDays }).from(models),
  ]);
  const decided = new Set(decisions.map((d) => `${d.symbol}:${d.horizonDays}`));
  const pooled = new Set(decisions.filter((d) => d.scope === 'pooled' && d.decision !== 'kept').map((d) => d.horizonDays));
  const out = new Map<string, number[]>();
  for (const symbol of symbols) {
    const hs = new Set(pooled);
    for (const d of decisions) if (d.symbol === symbol && d.decision !== 'kept') hs.add(d.horizonDays);
    for (const m of all) if (m.symbol === symbol && !decided.has(`${symbol}:${m.horizonDays}`)) hs.add(m.horizonDays);
    out.set(symbol, [...hs].sort((a, b) => a - b));
  }
  return out;
}
