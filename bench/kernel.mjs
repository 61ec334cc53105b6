// Notebook kernel: executions per second of trivial cells end to end (outputs stored in IndexedDB), against the Sage
// cell server's goal of 500/s; time from starting a kernel to its first result; interrupt latency of an endless loop.
// Run: npm run bench:kernel   (EXECUTIONS=n to change the 2,000 timed executions)
import { printResult, runInBrowser } from './browser.mjs';

const executions = Number(process.env.EXECUTIONS ?? 2000);
const r = await runInBrowser('/bench/kernel.bench.ts', { executions });
console.log(`${r.executions} executions of 1+1, request → reply with outputs stored: ${r.exec_per_s.toFixed(0)}/s (goal ≥ 500/s)`);
console.log(`  the same with the messages crossing but no output stored: ${r.unstored_exec_per_s.toFixed(0)}/s`);
console.log(`  kernel start to first result: ${r.first_result_ms.toFixed(0)} ms`);
console.log(`  Interrupt of while (true) {}: stopped in ${r.interrupt_ms.toFixed(0)} ms (goal ≤ 1000 ms), a fresh kernel ready in ${r.ready_after_interrupt_ms.toFixed(0)} ms; the notebook ${r.usable_after ? 'runs on' : 'did NOT run on'} after it`);
printResult('kernel', { exec_per_s: r.exec_per_s, first_result_ms: r.first_result_ms, interrupt_ms: r.interrupt_ms });
