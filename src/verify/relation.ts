/** Relations between the formula `F` and `λ_max`: `equal` (`F = λ_max`), `upper` (`F ≥ λ_max`), `lower` (`F ≤ λ_max`). */
export type Relation = 'equal' | 'upper' | 'lower';

export const RELATIONS: readonly Relation[] = ['equal', 'upper', 'lower'];
