package dynamo

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"proportal/internal/domain"
)

// auditItem is one audit entry. It is only ever put (never updated or
// deleted by the code; DynamoDB's time to live removes it after the
// retention period).
type auditItem struct {
	key
	Type       string               `dynamodbav:"type"`
	ID         string               `dynamodbav:"id"`
	OrgID      string               `dynamodbav:"orgId"`
	At         time.Time            `dynamodbav:"at"`
	Kind       string               `dynamodbav:"kind"`
	ActorKind  string               `dynamodbav:"actorKind"`
	ActorID    string               `dynamodbav:"actorId"`
	ActorName  string               `dynamodbav:"actorName,omitempty"`
	ActorEmail string               `dynamodbav:"actorEmail,omitempty"`
	TargetKind string               `dynamodbav:"targetKind"`
	TargetID   string               `dynamodbav:"targetId"`
	TargetName string               `dynamodbav:"targetName,omitempty"`
	TargetMail string               `dynamodbav:"targetEmail,omitempty"`
	Changes    []domain.AuditChange `dynamodbav:"changes,omitempty"`
	Source     string               `dynamodbav:"source,omitempty"`
	SeatDelta  int                  `dynamodbav:"seatDelta,omitempty"`
	Via        string               `dynamodbav:"via,omitempty"`
	Detail     string               `dynamodbav:"detail,omitempty"`
	GSI1PK     string               `dynamodbav:"gsi1pk"`
	GSI1SK     string               `dynamodbav:"gsi1sk"`
	GSI2PK     string               `dynamodbav:"gsi2pk"`
	GSI2SK     string               `dynamodbav:"gsi2sk"`
	GSI3PK     string               `dynamodbav:"gsi3pk"`
	GSI3SK     string               `dynamodbav:"gsi3sk"`
	GSI4PK     string               `dynamodbav:"gsi4pk,omitempty"`
	GSI4SK     string               `dynamodbav:"gsi4sk,omitempty"`
	TTL        int64                `dynamodbav:"ttl"`
}

func toAuditItem(e domain.AuditEntry, retention time.Duration) auditItem {
	sk := auditSK(e.At, e.ID)
	it := auditItem{
		key: auditKey(e.OrgID, e.At, e.ID), Type: "audit", ID: e.ID, OrgID: e.OrgID, At: e.At.UTC(), Kind: e.Kind,
		ActorKind: e.Actor.Kind, ActorID: e.Actor.ID, ActorName: e.Actor.Name, ActorEmail: e.Actor.Email,
		TargetKind: e.Target.Kind, TargetID: e.Target.ID, TargetName: e.Target.Name, TargetMail: e.Target.Email,
		Changes: e.Changes, Source: e.Source, SeatDelta: e.SeatDelta, Via: e.Via, Detail: e.Detail,
		GSI1PK: auditByActorPK(e.OrgID, e.Actor.ID), GSI1SK: sk,
		GSI2PK: auditByTargetPK(e.OrgID, e.Target.ID), GSI2SK: sk,
		GSI3PK: auditByKindPK(e.OrgID, e.Kind), GSI3SK: sk,
		TTL: e.At.Add(retention).Unix(),
	}
	if e.SeatDelta != 0 {
		it.GSI4PK, it.GSI4SK = auditSeatsPK(e.OrgID), sk
	}
	return it
}

func (it auditItem) toDomain() domain.AuditEntry {
	return domain.AuditEntry{
		ID: it.ID, OrgID: it.OrgID, At: it.At, Kind: it.Kind,
		Actor:   domain.AuditActor{Kind: it.ActorKind, ID: it.ActorID, Name: it.ActorName, Email: it.ActorEmail},
		Target:  domain.AuditTarget{Kind: it.TargetKind, ID: it.TargetID, Name: it.TargetName, Email: it.TargetMail},
		Changes: it.Changes, Source: it.Source, SeatDelta: it.SeatDelta, Via: it.Via, Detail: it.Detail,
	}
}

// SetAuditRetention sets how long audit entries are kept (the template's
// AuditRetentionDays); domain.DefaultAuditRetention until then.
func (s *Store) SetAuditRetention(d time.Duration) {
	if d > 0 {
		s.auditRetention = d
	}
}

// auditWrite is the put of an audit entry, to go in the transaction of the
// change it records: the change and its record are written together or not
// at all. An entry is never overwritten.
func (s *Store) auditWrite(e domain.AuditEntry) (write, error) {
	retention := s.auditRetention
	if retention == 0 {
		retention = domain.DefaultAuditRetention
	}
	w, err := s.putNew(toAuditItem(e, retention))
	if err != nil {
		return write{}, fmt.Errorf("audit entry: %w", err)
	}
	return write{w, func(map[string]types.AttributeValue) error {
		return fmt.Errorf("audit entry %s exists already", e.ID)
	}}, nil
}
