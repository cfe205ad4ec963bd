package sfapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// SampleEnrollments returns up to limit Enrollment records that have an
// external id, newest first. With courseIDs, and a Course ID field in the
// schema, only records of those courses count: the records CE's sync wrote
// for the courses at hand, which show how the package keys them.
func (c *Client) SampleEnrollments(ctx context.Context, s *EnrollmentSchema, courseIDs []string, limit int) ([]EnrollmentRecord, error) {
	cols, err := columnsOf(s)
	if err != nil {
		return nil, fmt.Errorf("sample enrollments: %w", err)
	}
	if limit <= 0 {
		return nil, nil
	}
	head := "SELECT " + cols.selectList() + " FROM " + cols.object + " WHERE " + cols.externalID + " != null"
	tail := " ORDER BY CreatedDate DESC LIMIT " + strconv.Itoa(limit)
	queries := []string{head + tail}
	if cols.courseID != "" && len(courseIDs) > 0 {
		if queries, err = inQueries(head+" AND "+cols.courseID+" IN ", tail, courseIDs); err != nil {
			return nil, fmt.Errorf("sample enrollments: %w", err)
		}
	}
	var out []EnrollmentRecord
	for i, q := range queries {
		err := c.Query(ctx, q, func(raw json.RawMessage) error {
			rec, err := cols.decode(raw)
			if err != nil {
				return err
			}
			if len(out) < limit {
				out = append(out, rec)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("sample %s records (query %d of %d): %w", cols.object, i+1, len(queries), err)
		}
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}
