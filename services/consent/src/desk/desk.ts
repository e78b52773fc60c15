import { type Caller, DxError, newId, type Principal } from '@sangam/core';
import { type ProblemStatementTable, type ProblemStatus, type Selectable, toDbTime } from '@sangam/db';
import { FailedAttempts } from '../identity/attempts.js';
import { auditedChange, changeEvent, type IdentityContext, requireCityAdmin } from '../identity/context.js';
import { normaliseEmail } from '../people/members.js';

export const problemStatuses: readonly ProblemStatus[] = ['open', 'in-progress', 'solved', 'closed'];

/** A problem the city publishes for partners to help solve. */
export interface ProblemStatement {
  readonly id: string;
  readonly title: string;
  readonly problem: string;
  readonly affected: string;
  readonly datasets: readonly string[];
  readonly status: ProblemStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewProblemStatement {
  readonly title: string;
  readonly problem: string;
  readonly affected: string;
  readonly datasets: readonly string[];
}

/** A potential partner's message to the city, as the city's inbox shows it. */
export interface Proposal {
  readonly id: string;
  readonly organisation: string;
  readonly contactName: string;
  readonly contactEmail: string;
  readonly offer: string;
  readonly createdAt: string;
}

export interface NewProposal {
  readonly organisation: string;
  readonly contactName: string;
  readonly contactEmail: string;
  readonly offer: string;
}

const toProblem = (row: Selectable<ProblemStatementTable>): ProblemStatement => ({
  id: row.id,
  title: row.title,
  problem: row.problem,
  affected: row.affected,
  datasets: JSON.parse(row.datasets) as string[],
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Control characters other than tab and line ends: no person types them into a form. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Text a person typed, trimmed and within bounds, or a validation error naming the field. */
function field(value: string, name: string, min: number, max: number): string {
  const text = value.trim();
  if (text.length < min || text.length > max || controlCharacters.test(text))
    throw DxError.validation([{ field: `/${name}`, message: `must be ${min} to ${max} characters of text` }]);
  return text;
}

/** Every problem statement, open ones first, newest first within each status. Anyone may read them. */
export async function listProblemStatements(ctx: Pick<IdentityContext, 'db'>): Promise<ProblemStatement[]> {
  const rows = await ctx.db
    .selectFrom('problem_statements')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return rows
    .map(toProblem)
    .sort((a, b) => problemStatuses.indexOf(a.status) - problemStatuses.indexOf(b.status));
}

/** The city admin publishes a problem statement, naming the catalogue items it concerns. */
export async function createProblemStatement(
  ctx: IdentityContext,
  caller: Caller,
  input: NewProblemStatement,
): Promise<ProblemStatement> {
  await requireCityAdmin(ctx, caller.principal);
  const title = field(input.title, 'title', 1, 200);
  const problem = field(input.problem, 'problem', 1, 5000);
  const affected = field(input.affected, 'affected', 1, 1000);
  const datasets = [...new Set(input.datasets.map((d) => d.trim()).filter((d) => d !== ''))].slice(0, 50);
  if (datasets.length > 0) {
    const known = await ctx.db
      .selectFrom('catalogue_items')
      .select('id')
      .where('id', 'in', datasets)
      .execute();
    const missing = datasets.filter((d) => !known.some((k) => k.id === d));
    if (missing.length > 0)
      throw DxError.validation([
        { field: '/datasets', message: `not in the catalogue: ${missing.join(', ').slice(0, 300)}` },
      ]);
  }
  const now = toDbTime(ctx.clock.now());
  return auditedChange(ctx, async (trx) => {
    const row = {
      id: newId('pb'),
      title,
      problem,
      affected,
      datasets: JSON.stringify(datasets),
      status: 'open' as const,
      created_by: caller.principal.clientId,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('problem_statements').values(row).execute();
    return {
      result: toProblem(row),
      event: changeEvent(
        caller,
        'city.problem.create',
        { organisation: caller.principal.organisationId },
        title,
      ),
    };
  });
}

/** The city admin moves a problem statement along: open, in progress, solved or closed. */
export async function setProblemStatus(
  ctx: IdentityContext,
  caller: Caller,
  id: string,
  status: string,
): Promise<ProblemStatement> {
  await requireCityAdmin(ctx, caller.principal);
  if (!problemStatuses.includes(status as ProblemStatus))
    throw DxError.validation([{ field: '/status', message: `one of ${problemStatuses.join(', ')}` }]);
  return auditedChange(ctx, async (trx) => {
    const updated = await trx
      .updateTable('problem_statements')
      .set({ status: status as ProblemStatus, updated_at: toDbTime(ctx.clock.now()) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new DxError('notFound', 'No such problem statement');
    return {
      result: toProblem(updated),
      event: changeEvent(
        caller,
        'city.problem.status',
        { organisation: caller.principal.organisationId },
        `${id} ${status}`,
      ),
    };
  });
}

/**
 * The city's inbox of proposals. Anyone may write, so it is bounded twice: a few a day from one address, and a cap on
 * the whole day's, past which proposals wait for the next day (429) rather than fill the database.
 */
export class ProposalDesk {
  readonly #ctx: IdentityContext;
  readonly #perSource: FailedAttempts;
  readonly #perDay: number;

  constructor(ctx: IdentityContext, options: { perSourcePerDay?: number; perDay?: number } = {}) {
    this.#ctx = ctx;
    // Counted as "attempts": every proposal sent is one, whatever became of it.
    this.#perSource = new FailedAttempts({ limit: options.perSourcePerDay ?? 5, windowMs: 86_400_000 });
    this.#perDay = options.perDay ?? 500;
  }

  async submit(input: NewProposal, source: string, requestId: string): Promise<Proposal> {
    const ctx = this.#ctx;
    const now = ctx.clock.now();
    const wait = this.#perSource.retryAfter(source, now.getTime());
    if (wait > 0)
      throw new DxError(
        'tooManyRequests',
        'Enough proposals from this address for today; the city reads them all',
        {
          headers: { 'retry-after': String(wait) },
        },
      );
    const proposal = {
      organisation: field(input.organisation, 'organisation', 1, 200),
      contact_name: field(input.contactName, 'contactName', 1, 200),
      contact_email: normaliseEmail(input.contactEmail, '/contactEmail'),
      offer: field(input.offer, 'offer', 10, 5000),
    };
    const since = toDbTime(new Date(now.getTime() - 86_400_000));
    const today = await ctx.db
      .selectFrom('proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(today.n) >= this.#perDay)
      throw new DxError(
        'tooManyRequests',
        'The city has received many proposals today; please send yours tomorrow',
        {
          headers: { 'retry-after': '3600' },
        },
      );
    this.#perSource.fail(source, now.getTime());
    const row = { id: newId('pr'), ...proposal, source: source.slice(0, 64), created_at: toDbTime(now) };
    await ctx.db.transaction().execute(async (trx) => {
      await ctx.audit.lock(trx);
      await trx.insertInto('proposals').values(row).execute();
      // No actor: the sender is no one the alliance knows yet.
      await ctx.audit.appendWithin(trx, [{ action: 'city.proposal.receive', decision: 'allow', requestId }]);
    });
    return toProposal(row);
  }
}

const toProposal = (row: {
  id: string;
  organisation: string;
  contact_name: string;
  contact_email: string;
  offer: string;
  created_at: string;
}): Proposal => ({
  id: row.id,
  organisation: row.organisation,
  contactName: row.contact_name,
  contactEmail: row.contact_email,
  offer: row.offer,
  createdAt: row.created_at,
});

/** The city's inbox, newest first (the city admin). */
export async function listProposals(ctx: IdentityContext, principal: Principal): Promise<Proposal[]> {
  await requireCityAdmin(ctx, principal);
  const rows = await ctx.db
    .selectFrom('proposals')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
  return rows.map(toProposal);
}
