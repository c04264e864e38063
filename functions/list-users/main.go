// Command list-users is the Lambda function of GET /api/users.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("ListUsers", nil); err != nil {
		log.Fatal(err)
	}
}
