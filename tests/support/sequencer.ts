// The order test files start in: vitest's (failed first, then the longest by the durations it cached, else the
// largest file first), except that with nothing cached (a fresh clone, CI) the integration files go first. They
// are the long ones (a real-data training is a 50-line file), and a long file started last leaves the other
// workers idle at the end of the run.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isIntegration = (spec: TestSpecification): boolean => spec.moduleId.endsWith('.int.test.ts');

export default class IntegrationFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const cached = sorted.some((s) => this.ctx.cache.getFileTestResults(`${s.project.name}:${s.moduleId.slice(this.ctx.config.root.length + 1)}`));
    if (cached) return sorted;
    return [...sorted.filter(isIntegration), ...sorted.filter((s) => !isIntegration(s))];
  }
}
