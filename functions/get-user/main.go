// Command get-user is the Lambda function of GET /api/users/{userId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetUser, nil); err != nil {
		log.Fatal(err)
	}
}
