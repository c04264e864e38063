package worker

import (
	"context"
	"time"

	"proportal/internal/domain"
)

// ContinueTeamChange goes on with a change of many members of a team (adding
// hundreds of people, deleting a large team) from where its request stopped,
// to the end. The message is domain.ChangeRef.Message(). A failed run is
// retried by SQS and takes up the change from its stored progress.
var ContinueTeamChange = Work{"ContinueTeamChange", continueTeamChange}

type teamChangeJSON struct {
	ChangeID string    `json:"changeId"`
	Status   string    `json:"status"`
	Total    int       `json:"total"`
	Done     int       `json:"done"`
	Failed   int       `json:"failed"`
	Updated  time.Time `json:"updatedAt"`
}

func continueTeamChange(s *Services) run {
	return func(ctx context.Context, message []byte) (any, error) {
		ref, err := domain.ParseChangeRef(string(message))
		if err != nil {
			return nil, err
		}
		c, err := s.Teams.Continue(ctx, ref)
		if err != nil {
			return nil, err
		}
		return teamChangeJSON{ChangeID: c.ID, Status: c.Status, Total: c.Total, Done: c.Done, Failed: len(c.Failures), Updated: c.UpdatedAt}, nil
	}
}
