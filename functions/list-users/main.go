// Command list-users is the Lambda function of GET /api/users.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListUsers, nil); err != nil {
		log.Fatal(err)
	}
}
