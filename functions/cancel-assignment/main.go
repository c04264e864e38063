// Command cancel-assignment is the Lambda function of DELETE /api/assignments/{assignmentId}.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.CancelAssignment, nil); err != nil {
		log.Fatal(err)
	}
}
