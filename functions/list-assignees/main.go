// Command list-assignees is the Lambda function of GET /api/assignments/{assignmentId}/assignees.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListAssignees, nil); err != nil {
		log.Fatal(err)
	}
}
