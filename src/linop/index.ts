export * from './linear-operator.js';
