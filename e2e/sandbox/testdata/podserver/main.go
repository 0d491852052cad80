// Command podserver is the container binary of the sandbox tests. Its first
// argument picks what it does; see the switch in main.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: podserver serve ADDR | get URL | cat FILE | write FILE | exit N | trap | fork N | sleep")
	}
	arg := ""
	if len(os.Args) > 2 {
		arg = os.Args[2]
	}
	switch os.Args[1] {
	case "serve":
		serve(arg)
	case "get":
		body, err := get(arg)
		if err != nil {
			fail(err.Error())
		}
		fmt.Print(body)
	case "cat":
		b, err := os.ReadFile(arg)
		if err != nil {
			fail(err.Error())
		}
		os.Stdout.Write(b)
	case "write":
		if err := os.WriteFile(arg, []byte("written"), 0o644); err != nil {
			fail(err.Error())
		}
	case "exit":
		n, _ := strconv.Atoi(arg)
		os.Exit(n)
	case "trap":
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTERM)
		fmt.Println("ready")
		<-c
		os.Exit(42)
	case "fork":
		n, _ := strconv.Atoi(arg)
		for range n {
			cmd := exec.Command(os.Args[0], "sleep")
			if err := cmd.Start(); err != nil {
				fail(err.Error())
			}
			fmt.Println(cmd.Process.Pid)
		}
		time.Sleep(time.Hour)
	case "sleep":
		time.Sleep(time.Hour)
	default:
		fail("unknown command " + os.Args[1])
	}
}

func serve(addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/hostname", func(w http.ResponseWriter, _ *http.Request) {
		h, _ := os.Hostname()
		fmt.Fprint(w, h)
	})
	mux.HandleFunc("/env", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getenv(r.URL.Query().Get("name")))
	})
	mux.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(r.URL.Query().Get("path"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Write(b)
	})
	mux.HandleFunc("/get", func(w http.ResponseWriter, r *http.Request) {
		body, err := get(r.URL.Query().Get("url"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, body)
	})
	fail(http.ListenAndServe(addr, mux).Error())
}

func get(url string) (string, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s: %s", url, resp.Status, b)
	}
	return string(b), err
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}
