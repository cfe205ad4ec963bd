package npapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LearnerEnrollment is an enrollment with what Salesforce needs beside it:
// the course's name and the learner's email.
type LearnerEnrollment struct {
	Enrollment
	CourseName string
	// Email is the learner's; empty when the person has none or no longer
	// exists in CE.
	Email string
}

// CourseNotFoundError names course ids the account does not have.
type CourseNotFoundError struct{ IDs []string }

func (e *CourseNotFoundError) Error() string {
	return fmt.Sprintf("CE has no course with id %s", strings.Join(e.IDs, ", "))
}

// enrollmentFetchParallelism bounds concurrent requests of one listing; the
// client's rate limiter paces them anyway, this only overlaps latency.
const enrollmentFetchParallelism = 4

// fetchPeopleOneByOne is the most people looked up with GET /v2/people/{id}
// before listing /v2/people (100 per page) becomes the cheaper way.
const fetchPeopleOneByOne = 20

// ListEnrollmentsSince returns every enrollment in the given courses (all
// courses when courseIDs is empty) that was enrolled, created or updated at
// or after since, with the course name and the learner's email, ordered by
// enrollment time. CE lists enrollments only per course, so this reads every
// course's enrollments; each distinct learner is fetched once.
//
// updated_at (where CE serves it) counts because progress made after since
// on an older enrollment is as much "since" as a new enrollment.
func (c *Client) ListEnrollmentsSince(ctx context.Context, since time.Time, courseIDs []string) ([]LearnerEnrollment, error) {
	courses, err := c.ListCourses(ctx)
	if err != nil {
		return nil, fmt.Errorf("list courses: %w", err)
	}
	names := make(map[string]string, len(courses))
	for _, co := range courses {
		names[co.ID] = co.Name
	}
	var ids []string
	if len(courseIDs) == 0 {
		for _, co := range courses {
			ids = append(ids, co.ID)
		}
	} else {
		var unknown []string
		for _, id := range courseIDs {
			if _, ok := names[id]; !ok {
				unknown = append(unknown, id)
			} else if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if len(unknown) > 0 {
			return nil, &CourseNotFoundError{IDs: unknown}
		}
	}

	perCourse := make([][]Enrollment, len(ids))
	err = parallel(ctx, len(ids), func(ctx context.Context, i int) error {
		es, err := c.ListCourseEnrollments(ctx, ids[i])
		if err != nil {
			return fmt.Errorf("list enrollments of course %s (%s): %w", names[ids[i]], ids[i], err)
		}
		perCourse[i] = es
		return nil
	})
	if err != nil {
		return nil, err
	}

	var out []LearnerEnrollment
	seen := map[string]bool{}
	var people []string
	for i, es := range perCourse {
		for _, e := range es {
			if !changedSince(e, since) || seen["e:"+e.ID] {
				continue
			}
			seen["e:"+e.ID] = true
			out = append(out, LearnerEnrollment{Enrollment: e, CourseName: names[ids[i]]})
			if e.PersonID != "" && !seen["p:"+e.PersonID] {
				seen["p:"+e.PersonID] = true
				people = append(people, e.PersonID)
			}
		}
	}
	emails, err := c.emailsOf(ctx, people)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Email = emails[out[i].PersonID]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].EnrolledAt.Equal(out[j].EnrolledAt) {
			return out[i].EnrolledAt.Before(out[j].EnrolledAt)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

func changedSince(e Enrollment, since time.Time) bool {
	for _, t := range []time.Time{e.EnrolledAt, e.CreatedAt, e.UpdatedAt} {
		if !t.IsZero() && !t.Before(since) {
			return true
		}
	}
	return false
}

// emailsOf returns person id → email. A few people are fetched one by one;
// for more, /v2/people is listed page by page until all are found, but for
// no more pages than a quarter of the people wanted (a large account costs
// at most a quarter more requests than fetching everyone one by one), and
// whoever is still missing is then fetched one by one.
func (c *Client) emailsOf(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	wanted := map[string]bool{}
	for _, id := range ids {
		wanted[id] = true
	}
	if len(ids) > fetchPeopleOneByOne {
		budget := (len(ids) + 3) / 4
		err := c.eachPage(ctx, "/v2/people", budget, func(r resource) bool {
			if !wanted[r.ID] {
				return true
			}
			p, err := personFrom(r)
			if err != nil {
				return true // fetched again below, where the error surfaces
			}
			out[p.ID] = p.Email
			delete(wanted, p.ID)
			return len(wanted) > 0
		})
		if err != nil {
			return nil, fmt.Errorf("list people: %w", err)
		}
	}
	rest := make([]string, 0, len(wanted))
	for _, id := range ids {
		if wanted[id] {
			rest = append(rest, id)
		}
	}
	var mu sync.Mutex
	err := parallel(ctx, len(rest), func(ctx context.Context, i int) error {
		p, err := c.GetPerson(ctx, rest[i])
		if IsNotFound(err) {
			return nil // deleted since: the enrollment stays unlinked
		}
		if err != nil {
			return fmt.Errorf("read person %s: %w", rest[i], err)
		}
		mu.Lock()
		out[p.ID] = p.Email
		mu.Unlock()
		return nil
	})
	return out, err
}

// eachPage calls fn for every resource of a list, page by page, until fn
// returns false, the list ends or maxPageCount pages were read.
func (c *Client) eachPage(ctx context.Context, path string, maxPageCount int, fn func(resource) bool) error {
	u, err := c.endpoint(path, url.Values{"page": {"1"}, "limit": {strconv.Itoa(pageLimit)}})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for pages := 0; pages < maxPageCount; pages++ {
		key := u.Path + "?" + u.Query().Encode()
		if seen[key] {
			return fmt.Errorf("CE API GET %s: links.next loops back to %s; stopping", path, u.Path)
		}
		seen[key] = true
		var doc document
		if err := c.do(ctx, http.MethodGet, u, nil, &doc); err != nil {
			return err
		}
		items, err := decodeList(doc)
		if err != nil {
			return fmt.Errorf("CE API GET %s: %w", u.Path, err)
		}
		for _, r := range items {
			if !fn(r) {
				return nil
			}
		}
		next := doc.Links.href("next")
		if next == "" {
			return nil
		}
		if u, err = c.nextPage(u, next); err != nil {
			return fmt.Errorf("CE API GET %s: %w", path, err)
		}
	}
	return nil
}

// parallel runs fn for 0…n-1 with bounded concurrency and returns the
// first error; the others are cancelled.
func parallel(ctx context.Context, n int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, enrollmentFetchParallelism)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, i); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		}()
	}
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return first
}
