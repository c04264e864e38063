// Command get-user is the Lambda function of GET /api/users/{userId}.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("GetUser", nil); err != nil {
		log.Fatal(err)
	}
}
