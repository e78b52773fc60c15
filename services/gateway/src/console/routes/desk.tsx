import {
  createProblemStatement,
  listProblemStatements,
  listProposals,
  ProposalDesk,
  setProblemStatus,
} from '@sangam/consent';
import { DxError } from '@sangam/core';
import { type AppEnv, sourceOf } from '@sangam/http';
import type { Context, Hono } from 'hono';
import type { ConsoleDeps } from '../app.js';
import { formOf, problemMessages, text } from '../forms.js';
import type { ConsoleKit } from '../kit.js';
import type { View } from '../layout.js';
import { InboxPage, type ProblemForm, ProblemsPage, type ProposalForm, ProposePage } from '../pages/desk.js';

/** The city's desk: problem statements anyone reads and the city admin writes; proposals anyone sends the city. */
export function deskRoutes(app: Hono<AppEnv>, kit: ConsoleKit, deps: ConsoleDeps): void {
  const ctx = deps.identity;
  const proposals = new ProposalDesk(ctx);

  async function problemsPage(c: Context<AppEnv>, view: View, form?: ProblemForm, errors: string[] = []) {
    return kit.render(
      c,
      view,
      <ProblemsPage
        view={view}
        problems={await listProblemStatements(ctx)}
        cityAdmin={view.cityAdmin}
        {...(form ? { form } : {})}
        errors={errors}
      />,
      errors.length > 0 ? 400 : 200,
    );
  }

  app.get('/problems', async (c) => problemsPage(c, await kit.viewOf(c)));

  app.post('/problems', async (c) => {
    const { view, form } = await kit.change(c);
    const input: ProblemForm = {
      title: text(form.get('title'), 300),
      problem: text(form.get('problem'), 6000),
      affected: text(form.get('affected'), 1200),
      datasets: text(form.get('datasets'), 3000),
    };
    try {
      await createProblemStatement(ctx, kit.callerOf(c, view.session), {
        ...input,
        datasets: input.datasets.split(','),
      });
    } catch (error) {
      if (error instanceof DxError && error.status === 400)
        return problemsPage(c, view, input, problemMessages(error));
      throw error;
    }
    return c.redirect('/problems', 303);
  });

  app.post('/problems/:id/status', async (c) => {
    const { view, form } = await kit.change(c);
    await setProblemStatus(
      ctx,
      kit.callerOf(c, view.session),
      c.req.param('id'),
      text(form.get('status'), 20),
    );
    return c.redirect('/problems', 303);
  });

  app.get('/propose', async (c) => {
    const view = await kit.viewOf(c);
    return kit.render(c, view, <ProposePage view={view} />);
  });

  app.post('/propose', async (c) => {
    kit.requireSameOrigin(c);
    const form = await formOf(c);
    const view = await kit.viewOf(c);
    const input: ProposalForm = {
      organisation: text(form.get('organisation'), 300),
      contactName: text(form.get('contactName'), 300),
      contactEmail: text(form.get('contactEmail'), 300),
      offer: text(form.get('offer'), 6000),
    };
    // The trap field is hidden from people: whatever fills it is a robot, thanked and ignored.
    if (text(form.get('website'), 10) !== '') return kit.render(c, view, <ProposePage view={view} done />);
    try {
      await proposals.submit(input, sourceOf(c), c.var.requestId);
    } catch (error) {
      if (!(error instanceof DxError)) throw error;
      if (error.problem === 'tooManyRequests') {
        c.header('retry-after', error.headers['retry-after'] ?? '3600');
        return kit.render(
          c,
          view,
          <ProposePage view={view} form={input} errors={[view.speech.t('proposeLimited')]} />,
          429,
        );
      }
      if (error.status === 400)
        return kit.render(
          c,
          view,
          <ProposePage view={view} form={input} errors={problemMessages(error)} />,
          400,
        );
      throw error;
    }
    return kit.render(c, view, <ProposePage view={view} done />);
  });

  app.get('/inbox', async (c) => {
    const view = await kit.signedIn(c);
    if (view instanceof Response) return view;
    const inbox = await listProposals(ctx, view.session.principal);
    return kit.render(c, view, <InboxPage view={view} proposals={inbox} />);
  });
}
