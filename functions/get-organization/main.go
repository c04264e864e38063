// Command get-organization is the Lambda function of GET /api/organization.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetOrganization, nil); err != nil {
		log.Fatal(err)
	}
}
