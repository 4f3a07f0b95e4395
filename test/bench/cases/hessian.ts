import type { BenchCase } from '../harness.js';

export const hessianCases: BenchCase[] = [];
