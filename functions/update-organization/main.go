// Command update-organization is the Lambda function of PATCH /api/organization.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.UpdateOrganization, nil); err != nil {
		log.Fatal(err)
	}
}
