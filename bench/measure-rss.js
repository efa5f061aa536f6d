// Runs the CLI in this process and writes its peak RSS (KB, process.resourceUsage().maxRSS) to a file, for
// machines without GNU time. Usage: node bench/measure-rss.js OUT_FILE CLI_ARGS...
import { writeFileSync } from 'node:fs';
import { main } from '../dist/cli.js';

const [out, ...args] = process.argv.slice(2);
const code = await main(args);
writeFileSync(out, `${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
