import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './paths.js';
import { surveySchema, type SurveyDefinition, type SurveyTrigger } from '../shared/survey-schema.js';

export const SURVEYS_DIR = path.join(PROJECT_ROOT, 'surveys');

/** A survey file that cannot be used; the message names the file and the field at fault. */
export class SurveyFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'SurveyFileError';
  }
}

export interface SurveyCatalog {
  all: readonly SurveyDefinition[];
  byId(id: string): SurveyDefinition | undefined;
  forTrigger(trigger: SurveyTrigger): SurveyDefinition | undefined;
}

/** Reads and validates every survey in `dir` (start-up stops on the first broken file). */
export function loadSurveys(dir: string = SURVEYS_DIR): SurveyCatalog {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const surveys = files.map((file) => parseSurveyFile(path.join(dir, file)));
  const byTrigger = new Map<SurveyTrigger, SurveyDefinition>();
  const byId = new Map<string, SurveyDefinition>();
  surveys.forEach((survey, i) => {
    const file = path.join(dir, files[i]!);
    if (byId.has(survey.id)) throw new SurveyFileError(file, `id "${survey.id}" is already used by another survey file`);
    if (byTrigger.has(survey.trigger)) {
      throw new SurveyFileError(file, `trigger "${survey.trigger}" is already handled by survey "${byTrigger.get(survey.trigger)!.id}"`);
    }
    byId.set(survey.id, survey);
    byTrigger.set(survey.trigger, survey);
  });
  for (const trigger of ['purchase', 'resolution'] as const) {
    if (!byTrigger.has(trigger))
      throw new SurveyFileError(dir, `no survey handles "${trigger}" events; add one with "trigger": "${trigger}"`);
  }
  return { all: surveys, byId: (id) => byId.get(id), forTrigger: (trigger) => byTrigger.get(trigger) };
}

function parseSurveyFile(file: string): SurveyDefinition {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SurveyFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  const result = surveySchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    const message = issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys[0]}"` : issue.message;
    throw new SurveyFileError(file, `${where}: ${message}`);
  }
  const expectedName = `${result.data.id}.json`;
  if (path.basename(file) !== expectedName) throw new SurveyFileError(file, `id "${result.data.id}" should live in ${expectedName}`);
  return result.data;
}
