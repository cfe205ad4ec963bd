package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// sampler follows the provider processes terraform starts and keeps the
// highest VmHWM (peak resident set) seen. VmHWM only grows, so sampling
// every few milliseconds misses at most the growth of the last interval
// before a process exits. rusage cannot tell the provider apart: wait4
// reports the maximum over terraform and every child it waited for, and
// terraform itself is usually the larger (that number is reported too).
// Linux only; elsewhere the peak is unknown (0).
type sampler struct {
	stopc chan struct{}
	done  chan int64
}

const sampleEvery = 10 * time.Millisecond

func startSampler(terraformPID int) *sampler {
	s := &sampler{stopc: make(chan struct{}), done: make(chan int64, 1)}
	go func() {
		peaks := map[int]int64{}
		f := &finder{parent: terraformPID, seen: map[int]bool{}}
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			for _, pid := range f.providers() {
				if kib := vmHWM(pid); kib > peaks[pid] {
					peaks[pid] = kib
				}
			}
			select {
			case <-s.stopc:
				var peak int64
				for _, v := range peaks {
					peak = max(peak, v)
				}
				s.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *sampler) stop() int64 {
	close(s.stopc)
	return <-s.done
}

// finder lists the children of parent whose command is the provider (the
// kernel cuts comm to 15 characters: "terraform-provi"). Each process is
// looked at once, so sampling stays cheap next to the terraform it
// measures.
type finder struct {
	parent int
	seen   map[int]bool
	found  []int
}

func (f *finder) providers() []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return f.found
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= f.parent || f.seen[pid] {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …; comm may hold spaces, so cut at the last ')'.
		open, closing := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
		if open < 0 || closing < open {
			continue
		}
		comm := string(stat[open+1 : closing])
		fields := strings.Fields(string(stat[closing+1:]))
		if len(fields) < 2 {
			continue
		}
		if ppid, _ := strconv.Atoi(fields[1]); ppid != f.parent {
			f.seen[pid] = true // not terraform's: never will be
			continue
		}
		// terraform's child: until it has exec'd, it is still called
		// "terraform"; look again next time.
		if strings.HasPrefix(comm, "terraform-provi") {
			f.seen[pid] = true
			f.found = append(f.found, pid)
		}
	}
	return f.found
}

// vmHWM reads the peak resident set of pid in KiB; 0 when it is gone.
func vmHWM(pid int) int64 {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kib
		}
	}
	return 0
}
