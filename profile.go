package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"
)

// pprofDirEnv names a directory where the plugin process writes profiles
// of itself, for developers finding where its time and memory go under a
// real terraform run (`go run ./internal/bench -pprof-dir DIR`). Unset, as
// in every production run, nothing below runs: no file is written and no
// port is opened. Only files are written, never stdout, which carries
// go-plugin's handshake.
const pprofDirEnv = "NORTHPASS_PPROF_DIR"

// profileEvery is how often the heap is looked at. ReadMemStats stops the
// world for microseconds; once a second is invisible next to a plan.
const profileEvery = time.Second

// startProfiling starts the profiles when NORTHPASS_PPROF_DIR is set and
// returns the func that ends them (a no-op otherwise). It writes, named
// after the process id:
//
//   - cpu-PID.pprof: the CPU profile of the whole run;
//   - heap-PID-peak.pprof: the heap profile taken when the heap in use was
//     at its highest (rewritten each time it grows by a tenth), which is
//     what holds the memory when the resident set peaks;
//   - heap-PID-exit.pprof: the heap profile as the plugin stops;
//   - mem-PID.tsv: a line a second of the Go heap against what the
//     runtime holds from the OS, to tell live data from GC headroom.
func startProfiling() (stop func()) {
	dir := os.Getenv(pprofDirEnv)
	if dir == "" {
		return func() {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return func() {}
	}
	name := func(kind string) string { return filepath.Join(dir, fmt.Sprintf(kind, os.Getpid())) }
	cpu, err := os.Create(name("cpu-%d.pprof"))
	if err == nil && pprof.StartCPUProfile(cpu) != nil {
		_ = cpu.Close()
		cpu = nil
	}
	tsv, _ := os.Create(name("mem-%d.tsv"))
	if tsv != nil {
		_, _ = fmt.Fprintln(tsv, "elapsed_s\theap_alloc_mib\theap_inuse_mib\theap_sys_mib\tnext_gc_mib\tsys_mib\tnum_gc\tgoroutines")
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		var peak uint64
		t := time.NewTicker(profileEvery)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if tsv != nil {
				const mib = 1 << 20
				_, _ = fmt.Fprintf(tsv, "%.0f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\n", time.Since(start).Seconds(),
					float64(ms.HeapAlloc)/mib, float64(ms.HeapInuse)/mib, float64(ms.HeapSys)/mib,
					float64(ms.NextGC)/mib, float64(ms.Sys)/mib, ms.NumGC, runtime.NumGoroutine())
			}
			if ms.HeapInuse > peak+peak/10 {
				peak = ms.HeapInuse
				writeHeapProfile(name("heap-%d-peak.pprof"))
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		if cpu != nil {
			pprof.StopCPUProfile()
			_ = cpu.Close()
		}
		if tsv != nil {
			_ = tsv.Close()
		}
		writeHeapProfile(name("heap-%d-exit.pprof"))
	}
}

func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer func() { _ = f.Close() }()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}
