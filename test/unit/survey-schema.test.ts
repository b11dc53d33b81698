import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadSurveys, SurveyFileError, SURVEYS_DIR } from '../../server/surveys.js';
import { surveySchema } from '../../shared/survey-schema.js';

type Json = Record<string, any>;

const REAL_FILES = ['follow-up.json', 'post-purchase.json', 'post-resolution.json'] as const;

function realSurvey(file: (typeof REAL_FILES)[number]): Json {
  return JSON.parse(readFileSync(path.join(SURVEYS_DIR, file), 'utf8')) as Json;
}

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder holding the three real surveys, with `change` applied to the file set first. */
function surveyDir(change: (files: Map<string, string>) => void = () => {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hami-surveys-'));
  tempDirs.push(dir);
  const files = new Map<string, string>(REAL_FILES.map((f) => [f, JSON.stringify(realSurvey(f), null, 2)]));
  change(files);
  for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A temp folder where post-purchase.json is replaced by `edit` of its real content. */
function withPostPurchase(edit: (survey: Json) => void): string {
  return surveyDir((files) => {
    const survey = realSurvey('post-purchase.json');
    edit(survey);
    files.set('post-purchase.json', JSON.stringify(survey));
  });
}

function loadError(dir: string): SurveyFileError {
  try {
    loadSurveys(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(SurveyFileError);
    return error as SurveyFileError;
  }
  throw new Error('expected loadSurveys to throw');
}

describe('the real survey files', () => {
  test('all four load and validate', () => {
    const catalog = loadSurveys();
    expect(catalog.all.map((s) => s.id).sort()).toEqual(['follow-up', 'post-purchase', 'post-resolution', 'relationship']);
  });

  test('each trigger is handled by its survey', () => {
    const catalog = loadSurveys();
    expect(catalog.forTrigger('purchase')?.id).toBe('post-purchase');
    expect(catalog.forTrigger('resolution')?.id).toBe('post-resolution');
    expect(catalog.forTrigger('callback_resolved')?.id).toBe('follow-up');
    expect(catalog.forTrigger('autopilot')).toMatchObject({ id: 'relationship', everyMonths: 6 });
  });

  test('byId finds a survey and returns undefined for an unknown id', () => {
    const catalog = loadSurveys();
    expect(catalog.byId('post-resolution')?.trigger).toBe('resolution');
    expect(catalog.byId('nope')).toBeUndefined();
  });

  test('the one-tap question of each survey is the one the design names', () => {
    const catalog = loadSurveys();
    // purchase and resolution: NPS 0–10; follow-up: "Was your problem solved?" yes/no
    const oneTapType = (id: string) => {
      const s = catalog.byId(id)!;
      return s.questions.find((q) => q.id === s.oneTap)?.type;
    };
    expect(oneTapType('post-purchase')).toBe('nps');
    expect(oneTapType('post-resolution')).toBe('nps');
    expect(oneTapType('follow-up')).toBe('yes_no');
  });

  test('defaults are filled in: questions not marked optional are required', () => {
    const nps = loadSurveys()
      .byId('post-purchase')!
      .questions.find((q) => q.id === 'nps')!;
    expect(nps.optional).toBe(false);
  });

  test('a copy in another folder loads the same, and files that are not .json are ignored', () => {
    const dir = surveyDir((files) => files.set('README.md', '# not a survey'));
    expect(loadSurveys(dir).all).toHaveLength(3);
  });
});

describe('surveySchema defaults', () => {
  test('expiresAfterDays 14, slaHours 24, text maxLength 2000 when left out', () => {
    const raw = realSurvey('post-purchase.json');
    delete raw.expiresAfterDays;
    delete raw.slaHours;
    const parsed = surveySchema.parse(raw);
    expect(parsed.expiresAfterDays).toBe(14);
    expect(parsed.slaHours).toBe(24);
    const reason = parsed.questions.find((q) => q.id === 'reason')!;
    expect(reason.type === 'text' && reason.maxLength).toBe(2000);
  });
});

describe('dimensions: attributes rolled up per day', () => {
  test('the real surveys declare theirs; left out, a survey has none', () => {
    const catalog = loadSurveys();
    expect(catalog.byId('post-purchase')!.dimensions).toEqual(['product', 'region']);
    expect(catalog.byId('post-resolution')!.dimensions).toEqual(['agent', 'product', 'region']);
    const raw = realSurvey('post-purchase.json');
    delete raw.dimensions;
    expect(surveySchema.parse(raw).dimensions).toEqual([]);
  });

  test.each([
    ['not a list', 'product', 'dimensions'],
    ['an empty name', [''], 'dimensions.0'],
    ['a name over 64 characters', ['x'.repeat(65)], 'dimensions.0'],
    ['more than 10', Array.from({ length: 11 }, (_, i) => `d${i}`), 'dimensions'],
    ['a duplicate', ['product', 'region', 'product'], 'dimensions.2'],
  ])('%s is refused, naming %s', (_name, dimensions, field) => {
    const error = loadError(withPostPurchase((s) => (s.dimensions = dimensions)));
    expect(error.message).toContain(`post-purchase.json: ${field}:`);
  });
});

describe('a broken survey file stops loading with a message naming the file and the field', () => {
  test('invalid JSON', () => {
    const dir = surveyDir((files) => files.set('post-purchase.json', '{ "id": "post-purchase", '));
    const error = loadError(dir);
    expect(error.message).toContain(path.join(dir, 'post-purchase.json'));
    expect(error.message).toContain('not valid JSON');
  });

  test('missing Persian text of a question', () => {
    const dir = withPostPurchase((s) => {
      delete s.questions[0].text.fa;
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('questions.0.text.fa');
  });

  test('blank Persian subject counts as missing', () => {
    const dir = withPostPurchase((s) => {
      s.subject.fa = '   ';
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('subject.fa');
  });

  test('unknown top-level field', () => {
    const dir = withPostPurchase((s) => {
      s.colour = 'blue';
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('(top level): unknown field "colour"');
  });

  test('unknown field in a question names the question', () => {
    const dir = withPostPurchase((s) => {
      s.questions[1].hint = 'be honest';
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('questions.1: unknown field "hint"');
  });

  test('unknown question type', () => {
    const dir = withPostPurchase((s) => {
      s.questions[1].type = 'stars';
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('questions.1');
  });

  test('negative delay', () => {
    const dir = withPostPurchase((s) => {
      s.delayMinutes = -5;
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('delayMinutes');
  });

  test('duplicate question id', () => {
    const dir = withPostPurchase((s) => {
      s.questions[1].id = 'nps';
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('questions.1.id: duplicate question id "nps"');
  });

  test('oneTap pointing at a missing question', () => {
    const dir = withPostPurchase((s) => {
      s.oneTap = 'score';
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('oneTap: no question with id "score"');
  });

  test('oneTap on a text question', () => {
    const dir = withPostPurchase((s) => {
      s.oneTap = 'reason';
    });
    const error = loadError(dir);
    expect(error.message).toContain('post-purchase.json');
    expect(error.message).toContain('oneTap: a text question cannot be answered by one tap');
  });

  test('two surveys with the same trigger: the second file is named, and the survey it clashes with', () => {
    const dir = surveyDir((files) => {
      const other = realSurvey('post-purchase.json');
      other.id = 'another-purchase';
      files.set('another-purchase.json', JSON.stringify(other));
    });
    // files are read in name order: another-purchase.json, follow-up.json, post-purchase.json, …
    const error = loadError(dir);
    expect(error.message).toContain(path.join(dir, 'post-purchase.json'));
    expect(error.message).toContain('trigger "purchase" is already handled by survey "another-purchase"');
  });

  test('no survey for "resolution" events', () => {
    const dir = surveyDir((files) => files.delete('post-resolution.json'));
    const error = loadError(dir);
    expect(error.message).toContain(dir);
    expect(error.message).toContain('no survey handles "resolution" events');
  });

  test('no survey for "purchase" events', () => {
    const dir = surveyDir((files) => files.delete('post-purchase.json'));
    expect(loadError(dir).message).toContain('no survey handles "purchase" events');
  });

  test('file name not matching the id', () => {
    const dir = surveyDir((files) => {
      files.set('purchase.json', files.get('post-purchase.json')!);
      files.delete('post-purchase.json');
    });
    const error = loadError(dir);
    expect(error.message).toContain(path.join(dir, 'purchase.json'));
    expect(error.message).toContain('id "post-purchase" should live in post-purchase.json');
  });

  test('the error is a SurveyFileError by name too (what start-up prints)', () => {
    const dir = surveyDir((files) => files.set('post-purchase.json', 'not json'));
    expect(loadError(dir).name).toBe('SurveyFileError');
  });
});

describe('the autopilot survey file', () => {
  const relationship = () => JSON.parse(readFileSync(path.join(SURVEYS_DIR, 'relationship.json'), 'utf8')) as Json;
  const withRelationship = (edit: (survey: Json) => void) =>
    surveyDir((files) => {
      const survey = relationship();
      edit(survey);
      files.set('relationship.json', JSON.stringify(survey));
    });

  test('is optional: without one, autopilot is off and the rest loads', () => {
    expect(loadSurveys(surveyDir()).forTrigger('autopilot')).toBeUndefined();
  });

  test.each([
    ['everyMonths left out', (s: Json) => delete s.everyMonths, 'everyMonths: the autopilot survey needs "everyMonths": 3, 6, 12'],
    ['everyMonths 4', (s: Json) => (s.everyMonths = 4), 'everyMonths: must be one of 3, 6, 12 (months)'],
  ])('%s is refused, naming the field', (_name, edit, message) => {
    expect(loadError(withRelationship(edit)).message).toContain(message);
  });

  test('everyMonths on a survey that is not autopilot is refused', () => {
    expect(loadError(withPostPurchase((s) => (s.everyMonths = 6))).message).toContain('everyMonths: only the autopilot survey');
  });
});
