// Child-process entry for --jobs: receives FoldTasks over IPC (advanced serialisation keeps typed arrays),
// runs each and sends the outcome back. Wiring only.
import { runFoldTask, type FoldTask } from './fold-task.ts';

/** CPU time of this whole process so far (startup, every task, all threads), ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

process.on('message', (task: FoldTask) => {
  runFoldTask(task).then(
    (outcome) => process.send!({ ok: true, outcome, processCpuMs: cpuMs() }),
    (error: Error) => process.send!({ ok: false, id: task.id, message: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
