package httpapi

import (
	"context"
	"net/http"
	"time"

	"proportal/internal/domain"
)

var (
	// ListModules answers GET /api/modules.
	ListModules = Action{"ListModules", listModules}
	// CreateModule answers POST /api/modules.
	CreateModule = Action{"CreateModule", createModule}
	// GetModule answers GET /api/modules/{moduleId}.
	GetModule = Action{"GetModule", getModule}
	// UpdateModule answers PUT /api/modules/{moduleId}.
	UpdateModule = Action{"UpdateModule", updateModule}
	// DeleteModule answers DELETE /api/modules/{moduleId}.
	DeleteModule = Action{"DeleteModule", deleteModule}
	// DuplicateModule answers POST /api/modules/{moduleId}/duplicate.
	DuplicateModule = Action{"DuplicateModule", duplicateModule}
)

// moduleSummaryJSON is a module as the list shows it.
type moduleSummaryJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ItemCount   int    `json:"itemCount"`
	// Seconds is the items' total duration.
	Seconds int `json:"seconds"`
	// Assignments counts the module's open assignments.
	Assignments int       `json:"assignments"`
	Revision    int       `json:"revision"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

type moduleItemJSON struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Seconds int    `json:"seconds"`
	// Retired items are no longer offered by the catalog; the module keeps them.
	Retired bool `json:"retired,omitempty"`
}

// moduleJSON is a module with its items in order.
type moduleJSON struct {
	moduleSummaryJSON
	Items []moduleItemJSON `json:"items"`
}

type moduleListJSON struct {
	Items []moduleSummaryJSON `json:"items"`
}

// moduleInputJSON creates a module (POST) or replaces one (PUT, with the
// revision the edit was made on).
type moduleInputJSON struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Items       []string `json:"items"`
	Revision    int      `json:"revision,omitempty"`
}

type duplicateJSON struct {
	// Name is the copy's name; "Copy of …" when empty.
	Name string `json:"name,omitempty"`
}

func toModuleSummaryJSON(m domain.Module) moduleSummaryJSON {
	return moduleSummaryJSON{
		ID: m.ID, Name: m.Name, Description: m.Description, ItemCount: len(m.Items), Seconds: m.Seconds,
		Assignments: m.Assignments, Revision: m.Revision, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
}

func toModuleJSON(m domain.Module) moduleJSON {
	items := make([]moduleItemJSON, len(m.Items))
	for i, it := range m.Items {
		items[i] = moduleItemJSON{ID: it.ID, Kind: it.Kind, Title: it.Title, Seconds: it.Seconds, Retired: it.Retired}
	}
	return moduleJSON{moduleSummaryJSON: toModuleSummaryJSON(m), Items: items}
}

func (in moduleInputJSON) toDomain() domain.ModuleInput {
	return domain.ModuleInput{Name: in.Name, Description: in.Description, ItemIDs: in.Items, Revision: in.Revision}
}

func listModules(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		mods, err := s.Modules.List(ctx, r.principal)
		if err != nil {
			return response{}, err
		}
		items := make([]moduleSummaryJSON, len(mods))
		for i, m := range mods {
			items[i] = toModuleSummaryJSON(m)
		}
		return response{status: http.StatusOK, body: moduleListJSON{Items: items}}, nil
	}
}

func createModule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in moduleInputJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		m, err := s.Modules.Create(ctx, r.principal, in.toDomain())
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusCreated, body: toModuleJSON(m)}, nil
	}
}

func getModule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		m, err := s.Modules.Get(ctx, r.principal, r.pathParam("moduleId"))
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toModuleJSON(m)}, nil
	}
}

func updateModule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in moduleInputJSON
		if err := decode(r, &in); err != nil {
			return response{}, err
		}
		m, err := s.Modules.Update(ctx, r.principal, r.pathParam("moduleId"), in.toDomain())
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusOK, body: toModuleJSON(m)}, nil
	}
}

func deleteModule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		if err := s.Modules.Delete(ctx, r.principal, r.pathParam("moduleId")); err != nil {
			return response{}, err
		}
		return response{status: http.StatusNoContent}, nil
	}
}

func duplicateModule(s *Services) endpoint {
	return func(ctx context.Context, r *request) (response, error) {
		var in duplicateJSON
		if len(r.body) > 0 {
			if err := decode(r, &in); err != nil {
				return response{}, err
			}
		}
		m, err := s.Modules.Duplicate(ctx, r.principal, r.pathParam("moduleId"), in.Name)
		if err != nil {
			return response{}, err
		}
		return response{status: http.StatusCreated, body: toModuleJSON(m)}, nil
	}
}
