// The baseline for the ingest part: Express 5 doing the least an event endpoint can
// do (parse the JSON body, answer 202). Spoor's rate is reported as a ratio to it.
import express from 'express'

const app = express()
app.disable('x-powered-by')
app.get('/health', (_req, res) => void res.json({ status: 'ok' }))
app.post('/api/event', express.json({ type: ['application/json', 'text/plain'], limit: '16kb' }), (req, res) => {
  if (typeof req.body !== 'object' || req.body === null) return void res.status(400).json({ error: 'body' })
  res.status(202).json({ ok: true })
})
const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
process.on('SIGTERM', () => server.close(() => process.exit(0)))
