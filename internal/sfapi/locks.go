package sfapi

import "sync"

// keyedLocks is a set of mutexes created on demand and dropped when no one
// holds or waits for them, so long-lived clients do not accumulate one per
// layout ever touched. The zero value is ready to use.
type keyedLocks struct {
	mu sync.Mutex
	m  map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	refs int // holders plus waiters; guarded by keyedLocks.mu
}

func (k *keyedLocks) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyedLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyedLock{}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()

	l.Lock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.Unlock()
			k.mu.Lock()
			if l.refs--; l.refs == 0 {
				delete(k.m, key)
			}
			k.mu.Unlock()
		})
	}
}
