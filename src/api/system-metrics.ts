import { execFile } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { cpus, freemem, totalmem } from 'node:os'
import { delimiter, join } from 'node:path'
import type { BatchPoint } from './database.js'

/** The split every system series is logged under: `system/cpu_percent`, `system/gpu0_utilization_percent`... */
export const SYSTEM_SPLIT = 'system'
/** Default sampling period: every 10 s. */
export const SYSTEM_METRICS_EVERY_MS = 10_000

const MB = 1024 * 1024

interface CpuTimes {
  busy: number
  total: number
}

function cpuTimes(): CpuTimes {
  let busy = 0
  let total = 0
  for (const c of cpus()) {
    const t = c.times
    const all = t.user + t.nice + t.sys + t.idle + t.irq
    total += all
    busy += all - t.idle
  }
  return { busy, total }
}

/** Bytes read and written by block devices (whole disks, not partitions), from /proc/diskstats; undefined off Linux. */
function diskBytes(): { read: number; write: number } | undefined {
  let text: string
  try {
    text = readFileSync('/proc/diskstats', 'utf8')
  } catch {
    return undefined
  }
  let read = 0
  let write = 0
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    const dev = f[2]
    // Partitions (sda1, nvme0n1p1) would count their disk's bytes twice; loop and ram devices are not disks.
    if (!dev || /^(loop|ram|dm-)/.test(dev) || /^(sd|vd|xvd|hd)[a-z]+\d+$/.test(dev) || /p\d+$/.test(dev)) continue
    read += Number(f[5] ?? 0) * 512
    write += Number(f[9] ?? 0) * 512
  }
  return { read, write }
}

/** Bytes received and sent on every interface but loopback, from /proc/net/dev; undefined off Linux. */
function netBytes(): { recv: number; sent: number } | undefined {
  let text: string
  try {
    text = readFileSync('/proc/net/dev', 'utf8')
  } catch {
    return undefined
  }
  let recv = 0
  let sent = 0
  for (const line of text.split('\n').slice(2)) {
    const [iface, rest] = line.split(':')
    if (!rest || iface?.trim() === 'lo') continue
    const f = rest.trim().split(/\s+/)
    recv += Number(f[0] ?? 0)
    sent += Number(f[8] ?? 0)
  }
  return { recv, sent }
}

/** The path of `nvidia-smi` on PATH, or undefined: no GPU series are logged without it. */
function findNvidiaSmi(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const p = join(dir, process.platform === 'win32' ? 'nvidia-smi.exe' : 'nvidia-smi')
    try {
      accessSync(p, constants.X_OK)
      return p
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * Parses `nvidia-smi --query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu
 * --format=csv,noheader,nounits` into `system/gpu<i>_*` values; fields reading `[N/A]` are left out.
 *
 * @example parseNvidiaSmi('0, 35, 1024, 16384, 51') // { gpu0_utilization_percent: 35, gpu0_memory_used_mb: 1024, ... }
 */
export function parseNvidiaSmi(text: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of text.split('\n')) {
    const f = line.split(',').map((s) => s.trim())
    if (f.length < 5 || !/^\d+$/.test(f[0] ?? '')) continue
    const g = `gpu${f[0]}`
    const put = (key: string, raw: string | undefined) => {
      const v = Number(raw)
      if (raw !== undefined && raw !== '' && Number.isFinite(v)) out[`${g}_${key}`] = v
    }
    put('utilization_percent', f[1])
    put('memory_used_mb', f[2])
    const used = Number(f[2])
    const total = Number(f[3])
    if (Number.isFinite(used) && Number.isFinite(total) && total > 0) out[`${g}_memory_percent`] = (100 * used) / total
    put('temperature_c', f[4])
  }
  return out
}

/**
 * Samples CPU, memory, disk, network and (where `nvidia-smi` is on PATH) GPU
 * figures every `everyMs` into the `system/*` series of one experiment. Made by
 * `db.startRun({ systemMetrics: true })`; a timer that is unref'd, reads a few
 * /proc files per tick, and asks nvidia-smi asynchronously, so it never holds
 * up the training loop's own logging. A failed sample is skipped, never thrown.
 *
 * @example
 * const run = db.startRun({ systemMetrics: true, systemMetricsEveryMs: 5000 })
 * // ... system/cpu_percent, system/process_rss_mb, system/memory_used_percent every 5 s
 * run.finish() // stops sampling
 */
export class SystemMetrics {
  private timer: NodeJS.Timeout | undefined
  private step = 0
  private lastCpu = cpuTimes()
  private lastProc = process.cpuUsage()
  private lastAt = process.hrtime.bigint()
  private readonly disk0 = diskBytes()
  private readonly net0 = netBytes()
  private readonly nvidiaSmi = findNvidiaSmi()
  private gpu: Record<string, number> = {}
  private gpuBusy = false

  constructor(
    private readonly log: (points: BatchPoint[]) => void,
    readonly everyMs = SYSTEM_METRICS_EVERY_MS,
  ) {
    this.pollGpu()
    this.timer = setInterval(() => this.sample(), everyMs)
    this.timer.unref()
  }

  /** Stops sampling; idempotent. */
  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** One reading of every figure, as series name → value (also used by tests). */
  read(): Record<string, number> {
    const now = process.hrtime.bigint()
    const wallUs = Number(now - this.lastAt) / 1000
    const cpu = cpuTimes()
    const proc = process.cpuUsage()
    const out: Record<string, number> = {}
    const dt = cpu.total - this.lastCpu.total
    if (dt > 0) out.cpu_percent = (100 * (cpu.busy - this.lastCpu.busy)) / dt
    if (wallUs > 0) out.process_cpu_percent = (100 * (proc.user - this.lastProc.user + proc.system - this.lastProc.system)) / wallUs
    this.lastCpu = cpu
    this.lastProc = proc
    this.lastAt = now
    out.process_rss_mb = process.memoryUsage().rss / MB
    const total = totalmem()
    const used = total - freemem()
    out.memory_used_mb = used / MB
    out.memory_used_percent = (100 * used) / total
    const disk = diskBytes()
    if (disk && this.disk0) {
      out.disk_read_mb = (disk.read - this.disk0.read) / MB
      out.disk_write_mb = (disk.write - this.disk0.write) / MB
    }
    const net = netBytes()
    if (net && this.net0) {
      out.net_recv_mb = (net.recv - this.net0.recv) / MB
      out.net_sent_mb = (net.sent - this.net0.sent) / MB
    }
    Object.assign(out, this.gpu)
    return out
  }

  private sample(): void {
    try {
      const step = this.step++
      const values = this.read()
      this.log(Object.entries(values).map(([name, value]) => ({ name, value, step, split: SYSTEM_SPLIT })))
    } catch {
      // A closed database or a busy moment: this sample is lost, the next one comes.
    }
    this.pollGpu()
  }

  /** Asks nvidia-smi in the background; its answer goes into the next sample. */
  private pollGpu(): void {
    if (!this.nvidiaSmi || this.gpuBusy) return
    this.gpuBusy = true
    const args = ['--query-gpu=index,utilization.gpu,memory.used,memory.total,temperature.gpu', '--format=csv,noheader,nounits']
    const child = execFile(this.nvidiaSmi, args, { timeout: 5000 }, (err, stdout) => {
      this.gpuBusy = false
      this.gpu = err ? {} : parseNvidiaSmi(String(stdout))
    })
    child.unref()
  }
}
