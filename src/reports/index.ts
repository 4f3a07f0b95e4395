export { describeNetwork } from './describe.js';
export type { ModelDescription } from './describe.js';
export { hessianReport } from './hessian-report.js';
export type { HessianReport, HessianReportBase, HessianReportOptions, HessianBlock, ExactHessianValues } from './hessian-report.js';
