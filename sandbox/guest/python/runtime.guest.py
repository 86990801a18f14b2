# faasbox's Python runtime, run once inside each MicroPython environment (sandbox/host/python/):
# Lambda's Python conventions as aws-lambda-python-runtime-interface-client's bootstrap.py has
# them (handler resolution, context, logging formats, error shapes). It talks to the host through
# files of its own directory: config.json and input.json/event.json in, result out, and `log`, a
# device whose every write is one log record (`<r|j><LEVEL>\0<text>`: a raw line or JSON fields).
# Everything lives in one object, `_faasbox`, of __main__; frames of this file show as <stdin>.
import io
import json
import os
import sys
import time

_DIR = '/faasbox/'
# Python's level numbers, as Lambda's LogFormat JSON levels name them.
_LEVELS = {'TRACE': 5, 'DEBUG': 10, 'INFO': 20, 'WARN': 30, 'ERROR': 40, 'FATAL': 50}
# A Python level's name in a log record (the host's levels: INFO, WARN, ERROR, DEBUG, TRACE, FATAL).
_RECORD_LEVEL = {'WARNING': 'WARN', 'CRITICAL': 'FATAL', 'NOTSET': 'INFO'}


class _Fault(Exception):
    # Positional only: MicroPython's exceptions take no keyword arguments.
    def __init__(self, error_type, message, trace, reason):
        self.error_type = error_type
        self.message = message
        self.trace = trace
        self.reason = reason


class LambdaContext:
    """The handler's `context`, with the attributes and method of Lambda's Python runtime."""

    def __init__(self, request_id, config, invocation):
        self.aws_request_id = request_id
        self.function_name = config['functionName']
        self.function_version = config['functionVersion']
        self.invoked_function_arn = invocation['invokedFunctionArn']
        self.memory_limit_in_mb = str(config['memorySizeMb'])
        self.log_group_name = config['logGroupName']
        self.log_stream_name = config['logStreamName']
        self.identity = None
        client_context = invocation.get('clientContextJson')
        self.client_context = json.loads(client_context) if client_context else None
        self.tenant_id = None
        self._deadline_ms = invocation['deadlineMs']

    def get_remaining_time_in_millis(self):
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def __repr__(self):
        return 'LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},function_name={},memory_limit_in_mb={},function_version={},invoked_function_arn={},client_context={},identity={}])'.format(
            self.aws_request_id, self.log_group_name, self.log_stream_name, self.function_name, self.memory_limit_in_mb,
            self.function_version, self.invoked_function_arn, self.client_context, self.identity)


def _timestamp(seconds):
    t = time.gmtime(int(seconds))
    return '%04d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (t[0], t[1], t[2], t[3], t[4], t[5], int(seconds * 1000) % 1000)


def _json_ready(value, depth=0):
    """`value` as json.dumps can write it the way CPython's encoder would, or a Runtime.MarshalError."""
    if depth > 200:
        raise ValueError('Circular reference detected')
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_ready(item, depth + 1) for item in value]
    if isinstance(value, dict):
        ready = {}
        for key, item in value.items():
            if isinstance(key, bool) or key is None:
                key = json.dumps(key)
            elif isinstance(key, (int, float)):
                key = str(key)
            elif not isinstance(key, str):
                raise TypeError('keys must be str, int, float, bool or None, not {}'.format(type(key).__name__))
            ready[key] = _json_ready(item, depth + 1)
        return ready
    raise TypeError('Object of type {} is not JSON serializable'.format(type(value).__name__))


class _Runtime:
    def __init__(self):
        self._log = open(_DIR + 'log', 'wb')
        self.request_id = ''
        self.config = None
        self.handler = None
        self.json_format = False
        self._sources = {}

    # --- log records -----------------------------------------------------------------------

    def emit(self, kind, level, text):
        self._log.write((kind + level + '\x00' + text).encode())

    def _install_logging(self):
        import logging
        runtime = self

        class LambdaLoggerHandler(logging.Handler):
            def emit(self, record):
                message = record.message if hasattr(record, 'message') else str(record.msg)
                level = _RECORD_LEVEL.get(record.levelname, record.levelname)
                if runtime.json_format:
                    runtime.emit('j', level, json.dumps({'message': message, 'logger': record.name}))
                else:
                    runtime.emit('r', level, '[{}]\t{}\t{}\t{}\n'.format(record.levelname, _timestamp(time.time()), runtime.request_id, message))

        root = logging.getLogger()
        root.handlers = [LambdaLoggerHandler()]
        level = self.config.get('applicationLogLevel')
        # As in Lambda: Python's default WARNING in Text; with JSON, the function's application level.
        root.setLevel(_LEVELS.get(level, 20) if self.json_format else logging.WARNING)

    def _log_error(self, error):
        if self.json_format:
            record = {'timestamp': _timestamp(time.time()).replace('.000Z', 'Z'), 'log_level': 'ERROR'}
            record.update(error)
            self.emit('r', 'ERROR', json.dumps(record))
            return
        head = '[ERROR]'
        if error['errorType']:
            head += ' ' + error['errorType'] + ':'
        if error['errorMessage']:
            head += ' ' + error['errorMessage']
        lines = [head, 'Traceback (most recent call last):']
        for frame in error['stackTrace']:
            for line in frame.splitlines():
                stripped = line.lstrip(' ')
                lines.append('\u00a0' * (len(line) - len(stripped)) + stripped)
        self.emit('r', 'ERROR', '\n'.join(lines))

    # --- errors ----------------------------------------------------------------------------

    def _source_line(self, path, number):
        lines = self._sources.get(path)
        if lines is None:
            try:
                with open(path) as f:
                    lines = f.read().split('\n')
            except Exception:
                lines = []
            self._sources[path] = lines
        return lines[number - 1].strip() if 0 < number <= len(lines) else ''

    def _frames(self, exception):
        """The exception's traceback as traceback.format_list strings, without this runtime's frames."""
        text = io.StringIO()
        sys.print_exception(exception, text)
        frames = []
        for line in text.getvalue().split('\n'):
            line = line.strip()
            if not line.startswith('File "'):
                continue
            path, _, rest = line[6:].partition('"')
            if path == '<stdin>':
                continue
            number = 0
            name = '<module>'
            for part in rest.split(','):
                part = part.strip()
                if part.startswith('line '):
                    number = int(part[5:]) if part[5:].isdigit() else 0
                elif part.startswith('in '):
                    name = part[3:]
            frame = '  File "{}", line {}, in {}\n'.format(path, number, name)
            source = self._source_line(path, number)
            if source:
                frame += '    {}\n'.format(source)
            frames.append((path, number, frame))
        return frames

    def _error(self, fault, request_id):
        return {'errorMessage': fault.message or '', 'errorType': fault.error_type or '', 'requestId': request_id, 'stackTrace': fault.trace or []}

    def _report(self, kind, reason, text):
        with open(_DIR + 'result', 'w') as f:
            f.write(kind + reason + '\x00' + text)

    def _fail(self, fault, request_id):
        error = self._error(fault, request_id)
        self._log_error(error)
        self._report('e', fault.reason, json.dumps(error))

    # --- init ------------------------------------------------------------------------------

    def init(self):
        with open(_DIR + 'config.json') as f:
            self.config = config = json.load(f)
        self.json_format = config.get('logFormat') == 'JSON'
        os.environ = dict(config['environmentVariables'])
        os.getenv = lambda key, default=None: os.environ.get(key, default)
        os.putenv = lambda key, value: None
        sys.path[:] = ['/var/task'] + config['pythonPath'] + ['.frozen', '/lib']
        sys.argv[:] = ['/var/runtime/bootstrap.py']
        os.chdir('/var/task')
        self._install_logging()
        try:
            self.handler = self._load_handler(config['handler'])
        except _Fault as fault:
            self._fail(fault, '')
            return
        except MemoryError:
            raise
        except Exception as exception:
            # Module-level code that raised: Lambda reports it as it is, from the handler's module.
            self._fail(_Fault(type(exception).__name__, str(exception), [f for _, _, f in self._frames(exception)], 'function-error'), '')
            return
        self._report('o', '', '')

    def _load_handler(self, handler):
        try:
            modname, fname = handler.rsplit('.', 1)
        except ValueError as e:
            raise _Fault('Runtime.MalformedHandlerName', "Bad handler '{}': {}".format(handler, 'not enough values to unpack (expected 2, got 1)'), None, 'malformed-handler')
        if not modname or not fname or '..' in modname.split('/'):
            raise _Fault('Runtime.MalformedHandlerName', "Bad handler '{}': not enough values to unpack (expected 2, got 1)".format(handler), None, 'malformed-handler')
        name = modname.replace('/', '.')
        try:
            __import__(name)
            module = sys.modules[name]
        except ImportError as e:
            # MicroPython's "no module named 'x'" in CPython's words.
            message = str(e.args[0]) if e.args else "no module named '{}'".format(name)
            if message.startswith('no module named'):
                message = 'N' + message[1:]
            raise _Fault('Runtime.ImportModuleError', "Unable to import module '{}': {}".format(modname, message), None, 'import-module-error')
        except SyntaxError as e:
            frames = self._frames(e)
            path, number = (frames[-1][0], frames[-1][1]) if frames else ('<unknown>', 0)
            base = path.rsplit('/', 1)[-1]
            text = self._source_line(path, number)
            message = e.args[0] if e.args else 'invalid syntax'
            raise _Fault('Runtime.UserCodeSyntaxError', "Syntax error in module '{}': {} ({}, line {})".format(modname, message, base, number),
                         ['  File "{}" Line {}\n    {}\n'.format(path, number, text)], 'syntax-error')
        try:
            return getattr(module, fname)
        except AttributeError:
            raise _Fault('Runtime.HandlerNotFound', "Handler '{}' missing on module '{}'".format(fname, modname), None, 'handler-not-found')

    # --- one invocation --------------------------------------------------------------------

    def invoke(self):
        with open(_DIR + 'input.json') as f:
            invocation = json.load(f)
        request_id = self.request_id = invocation['requestId']
        os.environ['_X_AMZN_TRACE_ID'] = invocation.get('xRayTraceId') or ''
        if not invocation.get('xRayTraceId'):
            del os.environ['_X_AMZN_TRACE_ID']
        try:
            with open(_DIR + 'event.json') as f:
                event = json.loads(f.read())
            context = LambdaContext(request_id, self.config, invocation)
            response = self.handler(event, context)
            try:
                payload = json.dumps(_json_ready(response))
            except (TypeError, ValueError) as e:
                raise _Fault('Runtime.MarshalError', 'Unable to marshal response: {}'.format(e), None, 'function-error')
        except _Fault as fault:
            self._fail(fault, request_id)
            return
        except MemoryError:
            raise
        except Exception as exception:
            self._fail(_Fault(type(exception).__name__, str(exception), [f for _, _, f in self._frames(exception)], 'function-error'), request_id)
            return
        self._report('o', '', payload)


# Python's `js` modules of this port would reach the host's JavaScript: never importable.
sys.modules['js'] = None
sys.modules['jsffi'] = None
_faasbox = _Runtime()
