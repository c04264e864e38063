// Command list-user-assignments is the Lambda function of GET /api/users/{userId}/assignments.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListUserAssignments, nil); err != nil {
		log.Fatal(err)
	}
}
