// Runs one benchmark module by name and prints its rows (for working on a single benchmark).
const name = process.argv[2];
const module = await import(`./${name}.mjs`);
const rows = await module.run({ log: (line) => process.stderr.write(`${line}\n`) });
console.table(rows);
