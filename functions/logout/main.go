// Command logout is the Lambda function of POST /api/auth/logout.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("Logout", nil); err != nil {
		log.Fatal(err)
	}
}
