// A trial program that says it started and then waits until a signal ends it
// (the agent's Ctrl-C test, test/cli/new-user.test.ts).
process.stdout.write('ready\n')
setInterval(() => {}, 1 << 30)
