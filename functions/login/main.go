// Command login is the Lambda function of POST /api/auth/login.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("Login", nil); err != nil {
		log.Fatal(err)
	}
}
