package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"proportal/internal/domain"
)

// ListCatalog answers GET /api/catalog.
var ListCatalog = Action{"ListCatalog", listCatalog}

type catalogItemJSON struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	Topic string `json:"topic"`
	// Seconds is the item's duration: an episode's or course's length, a lab's
	// or exam's estimate.
	Seconds int `json:"seconds"`
	// An episode's course, and its place in it.
	CourseID    string `json:"courseId,omitempty"`
	CourseTitle string `json:"courseTitle,omitempty"`
	Position    int    `json:"position,omitempty"`
	// A course's number of episodes.
	Episodes int `json:"episodes,omitempty"`
}

type catalogPageJSON struct {
	Items      []catalogItemJSON `json:"items"`
	NextCursor string            `json:"nextCursor,omitempty"`
	Total      int               `json:"total"`
}

func toCatalogItemJSON(c domain.CatalogItem) catalogItemJSON {
	return catalogItemJSON{
		ID: c.ID, Kind: c.Kind, Title: c.Title, Topic: c.Topic, Seconds: c.Duration(),
		CourseID: c.CourseID, CourseTitle: c.CourseTitle, Position: c.Position, Episodes: len(c.EpisodeIDs),
	}
}

func listCatalog(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		q := r.event.QueryStringParameters
		f := domain.CatalogFilter{Q: q["q"], Kind: q["type"], Cursor: q["cursor"]}
		if raw, ok := q["limit"]; ok {
			n, err := strconv.Atoi(raw)
			if err != nil {
				return response{}, domain.Problems{"limit": "must be a whole number between 1 and 100"}.Err()
			}
			f.Limit = n
		}
		page, err := s.Catalog.Search(ctx, r.principal, f)
		if err != nil {
			return response{}, err
		}
		items := make([]catalogItemJSON, len(page.Items))
		for i, c := range page.Items {
			items[i] = toCatalogItemJSON(c)
		}
		return response{status: http.StatusOK, body: catalogPageJSON{Items: items, NextCursor: page.NextCursor, Total: page.Total}}, nil
	}
}
