// One machine of the sync benchmark (plain JavaScript: it runs the compiled
// package, as a user's script would). Logs into its own file with a team server
// configured. `lag`: value = the wall time the call returned (the bench reads it
// back from the server); `bulk`: n points at a steady pace. Prints "logged" and
// "closed" (close waits for the sender, at most 180 s).
const [mod, path, server, token, name, n, mode, every] = process.argv.slice(2)
const { Database } = await import(mod)
const db = new Database({ path, server, token, syncWaitMs: 180_000 })
db.setExpStatus(name, 'TRAINING')
const pause = Number(every)
for (let i = 0; i < Number(n); i++) {
  if (mode === 'lag') {
    db.addMetricValue(name, 'sent_at', i, Date.now())
    await new Promise((r) => setTimeout(r, pause))
  } else {
    db.addMetricValue(name, 'acc', i, i)
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, pause))
  }
}
console.log('logged')
db.close()
console.log('closed')
