/**
 * The bench's figures: each with its target and, where the issue asks for one, the baseline measured in the same
 * run. Printed as one table at the end and written to bench-results.json (the source of the README's table).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';

interface Figure {
  /** What is measured, e.g. "answer path: GET /s/{token}?score=N". */
  name: string;
  value: number;
  unit: string;
  /** The same thing measured on the bare ceiling of this machine in this run, and Hami's share of it. */
  baseline?: { name: string; value: number; unit: string };
  /** In words, e.g. "≥ 50% of bare" or "< 50 ms". */
  target: string;
  /** null: reported for scale, no target. */
  pass: boolean | null;
  note?: string;
}

export const figures: Figure[] = [];

export function record(figure: Figure): Figure {
  figures.push(figure);
  return figure;
}

const fmt = (value: number, unit: string) =>
  `${value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(value >= 10 ? 1 : 2)} ${unit}`;

/** The table as Markdown (what the README shows) and for the terminal. */
export function table(): string {
  const lines = ['| measure | Hami | baseline (same run) | target | |', '| --- | --- | --- | --- | --- |'];
  for (const f of figures) {
    const baseline = f.baseline ? `${fmt(f.baseline.value, f.baseline.unit)} (${f.baseline.name})` : '';
    const verdict = f.pass === null ? '' : f.pass ? 'PASS' : 'MISS';
    lines.push(`| ${f.name} | ${fmt(f.value, f.unit)}${f.note ? ` (${f.note})` : ''} | ${baseline} | ${f.target} | ${verdict} |`);
  }
  return lines.join('\n');
}

function machine(): { cpu: string; cores: number; memoryGb: number; node: string; os: string } {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

export function writeResults(file: string, info: { startedAt: Date; seconds: number; parts: string[] }): void {
  const body = { ranAt: info.startedAt.toISOString(), seconds: Math.round(info.seconds), parts: info.parts, machine: machine(), figures };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
