// The guided flow's steps for a procedure: who is applying → what you need → a photo of each
// paper → check (and finish) the form → send; and what is still missing at each step.

import type { Dossier, FieldIssue, FieldSpec, ProcedureDetail, SectionSpec } from './bindings';
import { openWarnings } from './quality';

export type Step =
  | { kind: 'who'; section: SectionSpec }
  | { kind: 'need' }
  | { kind: 'photos' }
  | { kind: 'check' }
  | { kind: 'send' };

/** The section about the person applying: the one with their ID number. */
function isApplicant(s: SectionSpec): boolean {
  return s.fields.some((f) => f.key === 'applicant.cccd' || f.key === 'applicant.full_name');
}

/** The applicant's section and the form's other sections (filled at the check step). */
export function splitSections(p: ProcedureDetail): { who: SectionSpec | undefined; others: SectionSpec[] } {
  const who = p.sections.find(isApplicant);
  return { who, others: p.sections.filter((s) => s !== who) };
}

export function stepsOf(p: ProcedureDetail): Step[] {
  const { who } = splitSections(p);
  return [
    ...(who ? [{ kind: 'who', section: who } as Step] : []),
    { kind: 'need' },
    ...(p.components.length > 0 ? [{ kind: 'photos' } as Step] : []),
    { kind: 'check' },
    { kind: 'send' },
  ];
}

/** A stable name for a step, to remember where the person was. */
export function stepKey(s: Step): string {
  return s.kind;
}

/** What is still missing, as the checklist shows it. */
export interface Missing {
  /** Required fields without a value, or with a problem. */
  fields: FieldSpec[];
  /** Required papers without a page. */
  papers: string[];
  /** Pages whose photo has a quality warning the person has not chosen to ignore. */
  warnings: number;
}

function fieldMissing(f: FieldSpec, values: Record<string, string>, issues: FieldIssue[]): boolean {
  const empty = (values[f.key] ?? '').trim() === '';
  // "Required" from before the value was typed (the save is on its way) no longer holds.
  return (f.required && empty) || issues.some((i) => i.key === f.key && !(i.code === 'required' && !empty));
}

export function missingAt(
  step: Step,
  p: ProcedureDetail,
  d: Dossier,
  values: Record<string, string>,
  issues: FieldIssue[],
): Missing {
  const none: Missing = { fields: [], papers: [], warnings: 0 };
  const paperMissing = (code: string) => {
    const spec = p.components.find((c) => c.code === code);
    const pages = d.components.find((c) => c.code === code)?.pages.length ?? 0;
    return spec?.required === true && pages === 0;
  };
  const warningsOf = (code: string) =>
    (d.components.find((c) => c.code === code)?.pages ?? []).filter((pg) => openWarnings(d.id, pg).length > 0)
      .length;
  switch (step.kind) {
    case 'who':
      return { ...none, fields: step.section.fields.filter((f) => fieldMissing(f, values, issues)) };
    case 'photos':
      return {
        ...none,
        papers: p.components.filter((c) => paperMissing(c.code)).map((c) => c.code),
        warnings: p.components.reduce((n, c) => n + warningsOf(c.code), 0),
      };
    case 'check':
    case 'send':
      return {
        fields: p.sections.flatMap((s) => s.fields).filter((f) => fieldMissing(f, values, issues)),
        papers: p.components.filter((c) => paperMissing(c.code)).map((c) => c.code),
        warnings: p.components.reduce((n, c) => n + warningsOf(c.code), 0),
      };
    default:
      return none;
  }
}

/** Nothing is missing (warnings do not stop anyone: a photo may be kept anyway). */
export function complete(m: Missing): boolean {
  return m.fields.length === 0 && m.papers.length === 0;
}
