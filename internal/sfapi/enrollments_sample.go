package sfapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// SampleEnrollments returns up to limit Enrollment records that have an
// external id, newest first: the records CE's sync wrote last, which show
// how the package keys them.
func (c *Client) SampleEnrollments(ctx context.Context, s *EnrollmentSchema, limit int) ([]EnrollmentRecord, error) {
	cols, err := columnsOf(s)
	if err != nil {
		return nil, fmt.Errorf("sample enrollments: %w", err)
	}
	if limit <= 0 {
		return nil, nil
	}
	q := "SELECT " + cols.selectList() + " FROM " + cols.object + " WHERE " + cols.externalID + " != null" +
		" ORDER BY CreatedDate DESC LIMIT " + strconv.Itoa(limit)
	var out []EnrollmentRecord
	err = c.Query(ctx, q, func(raw json.RawMessage) error {
		rec, err := cols.decode(raw)
		if err == nil && len(out) < limit {
			out = append(out, rec)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sample %s records: %w", cols.object, err)
	}
	return out, nil
}
